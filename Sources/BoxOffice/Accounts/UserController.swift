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
            .POST, "login",
            summary: "Log in with email and password; with \"cookie\": true the refresh token is set as the HttpOnly "
                + "bx_refresh cookie (Path=/users/refresh) instead of returned", body: .of(LoginRequest.self),
            response: .of(TokenResponse.self), errors: [.unauthorized, .forbidden, .tooManyRequests], use: login)
        users.on(
            .POST, "refresh",
            summary: "Rotate a refresh token for a new token pair: the body's, or else the bx_refresh cookie's (then "
                + "rotated in the cookie)",
            body: .of(RefreshRequest.self), response: .of(TokenResponse.self), errors: [.unauthorized], use: refresh)

        let me = users.grouped(authenticator, access: .user)
        me.on(
            .POST, "logout",
            summary: "End this session (its access and refresh tokens) and clear the bx_refresh cookie",
            status: .noContent,
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

    @Sendable func login(req: Request) async throws -> Response {
        let body = try req.content.decode(LoginRequest.self)
        let email = body.email.normalizedEmail
        // Every attempt per address and email, and per address alone (an IPv6 address counts as its /64).
        try await throttle.check(.loginPerAddress, req.clientAddress)
        try await throttle.check(.login, req.clientAddress, email)
        // Per email alone only failures count, across all addresses: guesses from a botnet are bounded, and a
        // stranger can keep an account closed only while they keep guessing (each failure holds it for one token's
        // share of the window, never longer than the window). The right password is refused too while it is
        // closed, or a 200 among the 429s would tell the guesser which guess was right.
        try await throttle.ensureAllowed(.loginPerAccount, email)
        let issued: TokenService.Issued
        do {
            issued = try await accounts.login(email: body.email, password: body.password, on: req.db)
        } catch let error as APIError where error.status == .unauthorized {
            try await throttle.recordFailure(.loginPerAccount, email)
            throw error
        }
        return try await tokens(issued, inCookie: body.cookie == true, for: req)
    }

    @Sendable func refresh(req: Request) async throws -> Response {
        let body = req.body.data == nil ? RefreshRequest() : try req.content.decode(RefreshRequest.self)
        if let token = body.refreshToken {
            return try await tokens(try await accounts.refresh(token, on: req.db), inCookie: false, for: req)
        }
        guard let token = RefreshCookie.token(in: req) else {
            throw APIError.unauthorized(.invalidToken, "Send refresh_token, or the bx_refresh cookie.")
        }
        do {
            return try await tokens(try await accounts.refresh(token, on: req.db), inCookie: true, for: req)
        } catch var error as APIError where error.status == .unauthorized {
            // A dead cookie is dropped, so the page stops presenting it.
            error.headers.add(name: .setCookie, value: RefreshCookie.cleared.serialize(name: RefreshCookie.name))
            throw error
        }
    }

    /// Ends the session the access token belongs to, and clears the cookie (which logout, on another path, is never
    /// sent: it is cleared by name and path, whoever the caller is).
    @Sendable func logout(req: Request) async throws -> Response {
        try await accounts.logout(try req.currentUser, on: req.db)
        let response = Response(status: .noContent)
        response.cookies[RefreshCookie.name] = RefreshCookie.cleared
        return response
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

    /// The token pair in the body, or the access token in the body and the refresh token in the cookie.
    private func tokens(_ issued: TokenService.Issued, inCookie: Bool, for req: Request) async throws -> Response {
        let expiresIn = Int(accounts.tokens.accessLifetime)
        guard inCookie else {
            return try await TokenResponse(
                accessToken: issued.accessToken, refreshToken: issued.refreshToken, expiresIn: expiresIn
            ).encodeResponse(for: req)
        }
        let response = try await CookieTokenResponse(accessToken: issued.accessToken, expiresIn: expiresIn)
            .encodeResponse(for: req)
        response.cookies[RefreshCookie.name] = RefreshCookie.value(
            issued.refreshToken, lifetime: accounts.tokens.refreshLifetime)
        return response
    }
}
