import Vapor

extension Feature {
    /// Signed tickets, their public keys, and the door's check-in.
    static func tickets(_ box: BoxOffice, _ context: RouteContext) -> Feature {
        Feature(
            name: "tickets",
            routes: [
                TicketController(context: context, tickets: box.tickets),
                CheckInController(context: context, tickets: box.tickets),
            ])
    }
}
