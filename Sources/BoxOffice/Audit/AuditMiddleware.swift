import Fluent
import Vapor

/// Records every successful admin write in the audit trail: one hook on every admin group, so a new admin route is
/// audited without anyone remembering to.
///
/// Before the write it reads the resource as `GET /<collection>/:id` would answer the caller (when that route
/// exists); after a 2xx it stores that and the response as `{before, after}`. A failed write leaves no row. The row
/// is written after the change, not in its transaction: a failure to write it is logged, never answered, because
/// the change itself has happened.
///
/// On a route open to customers too (an admin may cancel anyone's booking), `onlyAdmins` records only admins' calls.
struct AuditMiddleware: AsyncMiddleware {
    let audit: AuditService
    var onlyAdmins = false

    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        guard request.method != .GET, request.method != .HEAD, let route = request.route,
            route.userInfo[Self.recordedByServiceKey] == nil,
            let action = AuditAction(route: route), !onlyAdmins || (try? request.currentUser.isAdmin) == true
        else { return try await next.respond(to: request) }
        let id = action.hasID ? request.parameters.get("id") : nil
        let before = await snapshot(action, id: id, for: request)
        let response = try await next.respond(to: request)
        guard (200..<300).contains(response.status.code) else { return response }
        let after = AuditJSON.parse(response.body.data)
        do {
            let caller = try request.currentUser
            let email = try await User.find(caller.id, on: request.db)?.email
            try await audit.record(
                action.refined(before: before, after: after), entityType: action.entityType,
                entityID: AuditLog.normalizedID(id ?? after?["id"]?.string), actor: .user(id: caller.id, email: email),
                before: before, after: after, requestID: request.requestID, on: request.db)
        } catch {
            request.logger.error(
                "audit row not written", metadata: ["action": .string(action.name), "error": "\(error)"])
        }
        return response
    }

    /// Set in a route's `userInfo` by `auditedByService()`.
    static let recordedByServiceKey = "boxoffice.audited-by-service"

    /// What `GET /<collection>/:id` answers this caller now, through that route's own middleware and handler (so
    /// an admin-only read stays admin-only); nil when there is no such route or it does not answer 200.
    private func snapshot(_ action: AuditAction, id: String?, for request: Request) async -> AuditJSON? {
        guard let id,
            let route = request.application.routes.all.first(where: {
                $0.method == .GET && $0.path == [.constant(action.collection), .parameter("id")]
            })
        else { return nil }
        var headers = HTTPHeaders()
        if let authorization = request.headers.first(name: .authorization) {
            headers.add(name: .authorization, value: authorization)
        }
        let read = Request(
            application: request.application, method: .GET, url: URI(path: "/\(action.collection)/\(id)"),
            headers: headers, logger: request.logger, on: request.eventLoop)
        read.route = route
        read.parameters.set("id", to: id)
        guard let response = try? await route.responder.respond(to: read).get(), response.status == .ok else {
            return nil
        }
        return AuditJSON.parse(response.body.data)
    }
}

extension Route {
    /// For a write whose service records its own audit row, in the change's transaction (a restore, which replaces
    /// the data the middleware would read after it): the middleware leaves it alone, so it is recorded once.
    @discardableResult
    func auditedByService() -> Route {
        userInfo[AuditMiddleware.recordedByServiceKey] = true
        return self
    }
}
