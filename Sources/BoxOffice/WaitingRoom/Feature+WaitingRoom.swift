import Vapor

extension Feature {
    /// Waiting rooms in front of busy shows.
    static func waitingRoom(_ box: BoxOffice, _ context: RouteContext) -> Feature {
        Feature(name: "waiting-room", routes: [WaitingRoomController(context: context, rooms: box.waitingRooms)])
    }
}
