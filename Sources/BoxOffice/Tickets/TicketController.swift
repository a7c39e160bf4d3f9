import Vapor

/// `GET /bookings/{id}/ticket` (owner or admin) and `GET /tickets/keys` (public: what a door device verifies with).
struct TicketController: RouteCollection {
    let context: RouteContext
    let tickets: TicketService

    func boot(routes: any RoutesBuilder) throws {
        let (_, user, _) = context.routes(routes, "bookings", tag: "Tickets")
        user.on(
            .GET, ":id", "ticket", summary: "The ticket of a confirmed booking: one signed code for the whole party",
            response: .of(TicketResponse.self), errors: [.conflict], use: ticket)
        let (open, _, _) = context.routes(routes, "tickets", tag: "Tickets")
        open.on(
            .GET, "keys",
            summary: "The public keys tickets are signed with (JWKS; Ed25519), for checking tickets offline",
            response: .of(TicketKeySet.self), use: keys)
    }

    @Sendable func ticket(req: Request) async throws -> TicketResponse {
        try await tickets.ticket(try req.requireID("id", "Booking"), for: try req.currentUser, on: req.db)
    }

    /// Cacheable for five minutes: a key that is about to sign is published first (see README, rotation).
    @Sendable func keys(req: Request) async throws -> Response {
        let keys = tickets.publishedKeys
        return ResponseCache.response(
            keys, etag: ETag.quoted(Data(buffer: keys)), to: req, cacheControl: "public, max-age=300")
    }
}
