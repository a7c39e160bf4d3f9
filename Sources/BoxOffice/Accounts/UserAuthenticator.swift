import Fluent
import Vapor

/// The caller of a request, as the database last said (through `SessionCache`): a disabled or demoted user loses
/// access at once.
struct AuthenticatedUser: Authenticatable, Sendable {
    let id: UUID
    let role: UserRole
    let sessionID: UUID

    var isAdmin: Bool { role == .admin }
}

/// Checks the bearer access token and its session on every request.
///
/// `required` (the default) answers 401 with `WWW-Authenticate: Bearer` when there is no valid token;
/// `optional` lets anonymous requests through, for public routes that personalise their answer.
struct UserAuthenticator: AsyncMiddleware {
    let tokens: TokenService
    let sessions: SessionCache
    var optional = false

    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        guard let bearer = request.headers.bearerAuthorization else {
            if optional { return try await next.respond(to: request) }
            throw APIError.unauthorized(.authenticationRequired, "This route needs a bearer access token.")
        }
        let user: AuthenticatedUser
        do {
            user = try await authenticate(bearer.token, on: request.db)
        } catch let error as APIError where optional && error.status == .unauthorized {
            // A public route answers a stale or bad token as it answers no token: anonymously.
            return try await next.respond(to: request)
        }
        request.auth.login(user)
        request.storage[AuthenticatedUserIDKey.self] = user.id
        return try await next.respond(to: request)
    }

    /// The same check for public routes that personalise their answer: no token, or a bad one, is anonymous.
    func allowingAnonymous() -> UserAuthenticator {
        UserAuthenticator(tokens: tokens, sessions: sessions, optional: true)
    }

    func authenticate(_ token: String, on db: any Database) async throws -> AuthenticatedUser {
        try await authenticateUntil(token, on: db).user
    }

    /// The caller and when their access token expires (a live socket closes then), from one verification.
    func authenticateUntil(_ token: String, on db: any Database) async throws -> (
        user: AuthenticatedUser, expiresAt: Date
    ) {
        let payload = try await tokens.verify(token, as: .access)
        let expiresAt = payload.exp.value
        guard let sessionID = payload.sessionID, let userID = payload.userID else {
            throw APIError.unauthorized(.invalidToken, "The token's session does not exist.")
        }
        let cached = sessions.lookup(sessionID)
        if let user = cached.user, user.id == userID { return (user, expiresAt) }
        guard
            let session = try await UserSession.query(on: db)
                .join(User.self, on: \UserSession.$user.$id == \User.$id)
                .filter(\.$id == sessionID)
                .first(),
            let user = try? session.joined(User.self), user.id == userID
        else {
            throw APIError.unauthorized(.invalidToken, "The token's session does not exist.")
        }
        guard session.revokedAt == nil else {
            throw APIError.unauthorized(.sessionRevoked, "This session has ended. Log in again.")
        }
        guard !user.isDisabled else {
            throw APIError.unauthorized(.accountDisabled, "This account is disabled.")
        }
        let authenticated = AuthenticatedUser(id: userID, role: user.role, sessionID: sessionID)
        sessions.remember(authenticated, version: cached.version)
        return (authenticated, expiresAt)
    }
}

/// Lets only the given roles through; 403 for anyone else who is signed in.
struct RoleGuard: AsyncMiddleware {
    let roles: [UserRole]

    init(role: UserRole) { roles = [role] }

    /// Admins and ushers: the door routes (check-in and its counts).
    static let staff = RoleGuard(roles: [.admin, .usher])

    private init(roles: [UserRole]) { self.roles = roles }

    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        let user = try request.currentUser
        guard roles.contains(user.role) else {
            let names = roles.map { "\($0.rawValue)s" }.joined(separator: " and ")
            throw APIError.forbidden(.forbidden, "This route is for \(names) only.")
        }
        return try await next.respond(to: request)
    }
}

extension Request {
    /// The signed-in caller; 401 if the route forgot its authenticator.
    var currentUser: AuthenticatedUser {
        get throws {
            guard let user = auth.get(AuthenticatedUser.self) else {
                throw APIError.unauthorized(.authenticationRequired, "This route needs a bearer access token.")
            }
            return user
        }
    }
}
