import Fluent
import Vapor

/// Admin views of accounts: list and filter, look up, change role or disable.
struct AdminUserController: RouteCollection {
    let accounts: AccountService
    let authenticator: UserAuthenticator
    let audit: AuditService

    func boot(routes: any RoutesBuilder) throws {
        let admin = APIRoutes(builder: routes.grouped("users"), access: .public, tag: "Users")
            .grouped(authenticator, RoleGuard(role: .admin), AuditMiddleware(audit: audit), access: .admin)
        admin.on(
            .GET, summary: "List accounts", response: .page(of: UserResponse.self),
            query: APIDoc.QueryParameter.paging + [
                .init(
                    name: "role", schema: .enumeration(UserRole.self, required: false), description: "Only this role"),
                .init(
                    name: "email", schema: .string(required: false), description: "Email contains (case-insensitive)"),
            ], use: index)
        admin.on(.GET, ":id", summary: "One account", response: .of(UserResponse.self), use: show)
        admin.on(
            .PATCH, ":id", summary: "Change an account's role or disabled state",
            body: .of(AdminUpdateUserRequest.self), response: .of(UserResponse.self), errors: [.conflict], use: update)
    }

    @Sendable func index(req: Request) async throws -> Page<UserResponse> {
        let page = try PageRequest(from: req)
        let query = User.query(on: req.db).sort(\.$createdAt).sort(\.$id)
        // As every other optional filter: an empty value is no filter.
        if let role = try req.queryEnum("role", UserRole.self) { query.filter(\.$role == role) }
        if let email = req.query[String.self, at: "email"]?.normalizedEmail, !email.isEmpty {
            query.filter(\.$email ~~ email)
        }
        return try await query.page(page, map: UserResponse.init)
    }

    @Sendable func show(req: Request) async throws -> UserResponse {
        try UserResponse(try await accounts.requireUser(try req.requireID("id", "User"), on: req.db))
    }

    @Sendable func update(req: Request) async throws -> UserResponse {
        let id = try req.requireID("id", "User")
        let body = try req.content.decode(AdminUpdateUserRequest.self)
        return try UserResponse(try await accounts.adminUpdate(id, body, by: try req.currentUser, on: req.db))
    }
}
