import Vapor

extension Feature {
    /// Seat holds and seat maps; the sweep that frees expired holds on live seat maps, and the active-holds gauge.
    static func holds(_ box: BoxOffice, _ context: RouteContext) -> Feature {
        let holds = box.holds
        return Feature(
            name: "holds",
            routes: [
                SeatLockController(context: context, holds: holds),
                SeatMapController(context: context, holds: holds, availability: box.availability),
            ],
            jobs: [
                // Often: an expired hold's seats turn available on live seat maps when it is swept.
                box.job("hold-sweep", every: .seconds(2), jitter: .milliseconds(200)) { _ in
                    _ = try await holds.sweep()
                },
                box.job("hold-gauge", every: .seconds(60), jitter: .seconds(5)) { _ in
                    try await holds.recordActiveHolds()
                },
            ])
    }
}
