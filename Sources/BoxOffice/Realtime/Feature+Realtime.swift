import Vapor

extension Feature {
    /// The live WebSocket.
    static func realtime(_ box: BoxOffice) -> Feature {
        Feature(
            name: "realtime",
            routes: [
                LiveController(
                    authenticator: box.authenticator, live: box.live, clock: box.clock, rooms: box.waitingRooms)
            ])
    }
}
