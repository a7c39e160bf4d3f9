import Vapor

/// The door: `POST /checkins` admits a ticket, `GET /shows/{id}/checkins` counts who is in. Admins and ushers only.
struct CheckInController: RouteCollection {
    let context: RouteContext
    let tickets: TicketService

    func boot(routes: any RoutesBuilder) throws {
        let checkins = context.staffRoutes(routes, "checkins", tag: "Check-in")
        checkins.on(
            .POST, summary: "Admit a ticket at the door (once; audited)", body: .of(CheckInRequest.self),
            response: .of(CheckInResponse.self), errors: [.conflict], maxBodySize: "4kb", use: admit)
        let shows = context.staffRoutes(routes, "shows", tag: "Check-in")
        shows.on(
            .GET, ":id", "checkins", summary: "People admitted to a show so far, and seats sold",
            response: .of(ShowCheckInCounts.self), use: counts)
    }

    @Sendable func admit(req: Request) async throws -> CheckInResponse {
        let body = try req.content.decode(CheckInRequest.self)
        return try await tickets.admit(body.code, by: try req.currentUser, requestID: req.requestID, on: req.db)
    }

    @Sendable func counts(req: Request) async throws -> ShowCheckInCounts {
        try await tickets.counts(try req.requireID("id", "Show"), on: req.db)
    }
}
