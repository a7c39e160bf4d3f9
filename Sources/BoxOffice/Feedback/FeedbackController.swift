import Vapor

/// `/feedback`: a customer rates a show they saw; admins read it all and reply. Another user's feedback is a 404.
struct FeedbackController: RouteCollection {
    let context: RouteContext
    let feedback: FeedbackService

    func boot(routes: any RoutesBuilder) throws {
        let (_, user, admin) = context.routes(routes, "feedback", tag: "Feedback")
        user.on(
            .POST, summary: "Rate a show you saw: one per confirmed booking, once the show has started",
            body: .of(CreateFeedbackRequest.self), status: .created, response: .of(FeedbackResponse.self),
            errors: [.conflict, .notFound], use: create)
        user.on(
            .GET, summary: "Your feedback (admins: everyone's), newest first",
            response: .page(of: FeedbackResponse.self),
            query: APIDoc.QueryParameter.paging + FeedbackListQuery.parameters, use: index)
        user.on(.GET, ":id", summary: "One feedback", response: .of(FeedbackResponse.self), use: show)
        admin.on(
            .PUT, ":id", "reply", summary: "Reply to feedback (replaces an earlier reply); its author is notified",
            body: .of(FeedbackReplyRequest.self), response: .of(FeedbackResponse.self), use: reply)
    }

    @Sendable func create(req: Request) async throws -> Created<FeedbackResponse> {
        let body = try req.content.decode(CreateFeedbackRequest.self)
        return Created(try FeedbackResponse(try await feedback.create(body, by: try req.currentUser, on: req.db)))
    }

    @Sendable func index(req: Request) async throws -> Page<FeedbackResponse> {
        let filters = try req.query(FeedbackListQuery.self)
        return try await feedback.list(filters, for: try req.currentUser, page: try PageRequest(from: req), on: req.db)
    }

    @Sendable func show(req: Request) async throws -> FeedbackResponse {
        let id = try req.requireID("id", "Feedback")
        return try FeedbackResponse(try await feedback.visible(id, to: try req.currentUser, on: req.db))
    }

    @Sendable func reply(req: Request) async throws -> FeedbackResponse {
        let id = try req.requireID("id", "Feedback")
        let body = try req.content.decode(FeedbackReplyRequest.self)
        return try FeedbackResponse(try await feedback.reply(id, with: body, by: try req.currentUser, on: req.db))
    }
}
