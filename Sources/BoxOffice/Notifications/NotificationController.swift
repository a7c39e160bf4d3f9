import Vapor

/// `/notifications`: a customer's own notifications. The seed's `GET /notifications/mark_all_read/{user_id}` is kept
/// for its clients: the user themself or an admin; for anyone else the user does not exist (404).
struct NotificationController: RouteCollection {
    let context: RouteContext
    let notifications: NotificationService
    let maintenance: Maintenance

    func boot(routes: any RoutesBuilder) throws {
        let (_, user, _) = context.routes(routes, "notifications", tag: "Notifications")
        user.on(
            .GET, summary: "Your notifications, newest first", response: .page(of: NotificationResponse.self),
            query: APIDoc.QueryParameter.paging + NotificationListQuery.parameters, use: index)
        user.on(
            .POST, ":id", "read", summary: "Mark one of your notifications read",
            response: .of(NotificationResponse.self), use: markRead)
        user.on(
            .POST, "mark_all_read", summary: "Mark all your notifications read", response: .of(MarkReadResponse.self),
            use: markAllRead)
        // A GET that writes: refused during a restore like every other write.
        user.grouped(WritingGetMiddleware(maintenance: maintenance), access: .user).on(
            .GET, "mark_all_read", ":user_id",
            summary: "Mark all of a user's notifications read (that user or an admin; the seed's form)",
            response: .of(MarkReadResponse.self), errors: [.serviceUnavailable], use: markAllReadOf)
    }

    @Sendable func index(req: Request) async throws -> Page<NotificationResponse> {
        let filters = try req.query(NotificationListQuery.self)
        return try await notifications.list(
            userID: try req.currentUser.id, unreadOnly: filters.unreadOnly, page: try PageRequest(from: req),
            on: req.db)
    }

    @Sendable func markRead(req: Request) async throws -> NotificationResponse {
        try await notifications.markRead(
            try req.requireID("id", "Notification"), userID: try req.currentUser.id, on: req.db)
    }

    @Sendable func markAllRead(req: Request) async throws -> MarkReadResponse {
        MarkReadResponse(updated: try await notifications.markAllRead(userID: try req.currentUser.id, on: req.db))
    }

    @Sendable func markAllReadOf(req: Request) async throws -> MarkReadResponse {
        let caller = try req.currentUser
        let userID = try req.requireID("user_id", "User")
        guard userID == caller.id || caller.isAdmin else { throw APIError.notFound("User") }
        if userID != caller.id, try await User.find(userID, on: req.db) == nil { throw APIError.notFound("User") }
        return MarkReadResponse(updated: try await notifications.markAllRead(userID: userID, on: req.db))
    }
}
