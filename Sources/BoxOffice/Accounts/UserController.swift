import Fluent
import Vapor

/// `/users`: signup, login, token refresh and the caller's own account.
struct UserController: RouteCollection {
    let accounts: AccountService
    let authenticator: UserAuthenticator
    let throttle: Throttle

    func boot(routes: any RoutesBuilder) throws {
        let users = APIRoutes(builder: routes.grouped("users"), access: .public, tag: "Users")
        users.on(
            .POST, "signup", summary: "Create a customer account", body: .of(SignupRequest.self),
            status: .created, response: .of(UserResponse.self), errors: [.conflict, .tooManyRequests], use: signup)
        users.on(
            .POST, "login", summary: "Log in with email and password", body: .of(LoginRequest.self),
            response: .of(TokenResponse.self), errors: [.unauthorized, .forbidden, .tooManyRequests], use: login)
        users.on(
            .POST, "refresh", summary: "Rotate a refresh token for a new token pair",
            body: .of(RefreshRequest.self), response: .of(TokenResponse.self), errors: [.unauthorized], use: refresh)

        let me = users.grouped(authenticator, access: .user)
        me.on(
            .POST, "logout", summary: "End this session (its access and refresh tokens)", status: .noContent,
            use: logout)
        me.on(.GET, "me", summary: "The caller's account", response: .of(UserResponse.self), use: show)
        me.on(
            .PATCH, "me", summary: "Change the caller's name, email or phone", body: .of(UpdateMeRequest.self),
            response: .of(UserResponse.self), errors: [.conflict], use: update)
        me.on(
            .POST, "me", "password", summary: "Change password; ends every other session",
            body: .of(ChangePasswordRequest.self), status: .noContent, errors: [.forbidden], use: changePassword)
    }

    @Sendable func signup(req: Request) async throws -> Created<UserResponse> {
        try await throttle.check(.signup, req.clientAddress)
        let body = try req.content.decode(SignupRequest.self)
        return Created(try UserResponse(try await accounts.signup(body, on: req.db)))
    }

    @Sendable func login(req: Request) async throws -> TokenResponse {
        let body = try req.content.decode(LoginRequest.self)
        // Per address and email, and per address alone: never per email alone, or anyone could lock anyone out.
        try await throttle.check(.loginPerAddress, req.clientAddress)
        try await throttle.check(.login, req.clientAddress, body.email.normalizedEmail)
        return tokenResponse(try await accounts.login(email: body.email, password: body.password, on: req.db))
    }

    @Sendable func refresh(req: Request) async throws -> TokenResponse {
        let body = try req.content.decode(RefreshRequest.self)
        return tokenResponse(try await accounts.refresh(body.refreshToken, on: req.db))
    }

    @Sendable func logout(req: Request) async throws -> HTTPStatus {
        try await accounts.logout(try req.currentUser, on: req.db)
        return .noContent
    }

    @Sendable func show(req: Request) async throws -> UserResponse {
        try UserResponse(try await accounts.requireUser(try req.currentUser.id, on: req.db))
    }

    @Sendable func update(req: Request) async throws -> UserResponse {
        let body = try req.content.decode(UpdateMeRequest.self)
        return try UserResponse(try await accounts.updateProfile(body, for: try req.currentUser, on: req.db))
    }

    @Sendable func changePassword(req: Request) async throws -> HTTPStatus {
        let body = try req.content.decode(ChangePasswordRequest.self)
        try await accounts.changePassword(body, for: try req.currentUser, on: req.db)
        return .noContent
    }

    private func tokenResponse(_ issued: TokenService.Issued) -> TokenResponse {
        TokenResponse(
            accessToken: issued.accessToken, refreshToken: issued.refreshToken,
            expiresIn: Int(accounts.tokens.accessLifetime))
    }
}
