import Vapor

/// `GET /audit-logs`: the trail of admin writes, for admins.
struct AuditController: RouteCollection {
    let context: RouteContext
    let audit: AuditService

    func boot(routes: any RoutesBuilder) throws {
        let (_, _, admin) = context.routes(routes, "audit-logs", tag: "Audit")
        admin.on(
            .GET, summary: "The audit trail of admin writes, newest first", response: .page(of: AuditLogResponse.self),
            query: APIDoc.QueryParameter.paging + AuditListQuery.parameters, use: index)
    }

    @Sendable func index(req: Request) async throws -> Page<AuditLogResponse> {
        try await audit.list(try req.query(AuditListQuery.self), page: try PageRequest(from: req), on: req.db)
    }
}
