import Fluent
import SQLKit
import Vapor

/// Accounts and sessions: signup, login, token rotation, logout, profile and password changes.
struct AccountService: Sendable {
    let hasher: PasswordHasher
    let tokens: TokenService
    let clock: any AppClock
    let sessions: SessionCache

    func signup(_ request: SignupRequest, on db: any Database) async throws -> User {
        try request.validate()
        let user = User(
            name: request.name.trimmed, email: request.email.normalizedEmail, phone: request.phone.trimmed,
            passwordHash: try await hasher.hash(request.password), role: .user)
        try await ensureUnique(email: user.email, phone: user.phone, excluding: nil, on: db)
        // Lost a race with another signup for the same email or phone.
        try await Constraint.mapping(.usersEmail, .usersPhone) { try await user.create(on: db) }
        return user
    }

    func login(email: String, password: String, on db: any Database) async throws -> TokenService.Issued {
        guard let user = try await User.query(on: db).filter(\.$email == email.normalizedEmail).first() else {
            try await hasher.verifyAgainstDummy(password)
            throw invalidCredentials
        }
        guard try await hasher.verify(password, against: user.passwordHash) else { throw invalidCredentials }
        guard !user.isDisabled else { throw APIError.forbidden(.accountDisabled, "This account is disabled.") }
        return try await startSession(for: try user.requireID(), on: db)
    }

    /// Rotates a refresh token. A token that was already rotated is reuse: the whole session is revoked.
    func refresh(_ token: String, on db: any Database) async throws -> TokenService.Issued {
        let payload = try await tokens.verify(token, as: .refresh)
        guard let tokenID = payload.tokenID,
            let stored = try await RefreshToken.query(on: db).filter(\.$id == tokenID).with(\.$session).first()
        else { throw APIError.unauthorized(.invalidToken, "The refresh token is not known.") }
        let session = stored.session
        guard session.revokedAt == nil else {
            throw APIError.unauthorized(.sessionRevoked, "This session has ended. Log in again.")
        }
        guard let user = try await User.find(session.$user.id, on: db), !user.isDisabled else {
            throw APIError.unauthorized(.accountDisabled, "This account is disabled.")
        }
        let sessionID = try session.requireID()
        let now = clock.now()
        let rotated = try await db.writeTransaction { tx -> TokenService.Issued? in
            guard try await markUsed(tokenID, at: now, on: tx) else { return nil }
            return try await issueTokens(userID: session.$user.id, sessionID: sessionID, on: tx)
        }
        guard let rotated else {
            try await revokeSessions(\.$id == sessionID, reason: "refresh_token_reused", on: db)
            await sessions.changed()
            throw APIError.unauthorized(
                .refreshTokenReused, "This refresh token was already used; the session is revoked.")
        }
        return rotated
    }

    func logout(_ user: AuthenticatedUser, on db: any Database) async throws {
        try await revokeSessions(\.$id == user.sessionID, reason: "logout", on: db)
        await sessions.changed()
    }

    func changePassword(_ request: ChangePasswordRequest, for caller: AuthenticatedUser, on db: any Database)
        async throws
    {
        try request.validate()
        let user = try await requireUser(caller.id, on: db)
        guard try await hasher.verify(request.currentPassword, against: user.passwordHash) else {
            throw APIError.forbidden(.wrongPassword, "The current password is not correct.")
        }
        user.passwordHash = try await hasher.hash(request.newPassword)
        try await db.writeTransaction { tx in
            try await user.save(on: tx)
            try await revokeSessions(
                \.$user.$id == caller.id, except: caller.sessionID, reason: "password_changed", on: tx)
        }
        await sessions.changed()
    }

    func updateProfile(_ request: UpdateMeRequest, for caller: AuthenticatedUser, on db: any Database) async throws
        -> User
    {
        try request.validate()
        let user = try await requireUser(caller.id, on: db)
        if let name = request.name { user.name = name.trimmed }
        if let email = request.email { user.email = email.normalizedEmail }
        if let phone = request.phone { user.phone = phone.trimmed }
        try await ensureUnique(email: user.email, phone: user.phone, excluding: caller.id, on: db)
        try await Constraint.mapping(.usersEmail, .usersPhone) { try await user.save(on: db) }
        return user
    }

    /// Admins change role and disabled state; disabling revokes every session at once.
    func adminUpdate(_ id: UUID, _ request: AdminUpdateUserRequest, by admin: AuthenticatedUser, on db: any Database)
        async throws -> User
    {
        let user = try await requireUser(id, on: db)
        if id == admin.id && ((request.role.map { $0 != .admin } ?? false) || request.disabled == true) {
            throw APIError.conflict(.cannotChangeOwnAccess, "Admins cannot demote or disable themselves.")
        }
        if let role = request.role { user.role = role }
        if let disabled = request.disabled { user.isDisabled = disabled }
        try await db.writeTransaction { tx in
            try await user.save(on: tx)
            if request.disabled == true {
                try await revokeSessions(\.$user.$id == id, reason: "account_disabled", on: tx)
            }
        }
        await sessions.changed()  // a new role or a disabled account counts from the next request
        return user
    }

    func requireUser(_ id: UUID, on db: any Database) async throws -> User {
        guard let user = try await User.find(id, on: db) else { throw APIError.notFound("User") }
        return user
    }

    /// Load-test customers (`boxoffice load-test-customers`): `count` accounts `<prefix>-<n>@loadtest.invalid` that share
    /// one password hash (one bcrypt, not `count`), each with a session; returns each account's id and access token.
    /// Accounts that exist already are signed in again. For rehearsing an on-sale day, never for real customers.
    func loadTestCustomers(count: Int, prefix: String, password: String, on db: any Database) async throws
        -> [(id: UUID, accessToken: String)]
    {
        let hash = try await hasher.hash(password)
        var signedIn: [(UUID, String)] = []
        for start in stride(from: 0, to: count, by: 500) {
            let batch = (start..<min(count, start + 500)).map { n in
                let email = "\(prefix)-\(n)@loadtest.invalid"
                return (
                    email,
                    User(name: "Load test \(n)", email: email, phone: "+1555\(10_000_000 + n)", passwordHash: hash)
                )
            }
            let existing = try await User.query(on: db).filter(\.$email ~~ batch.map(\.0)).all()
            let known = Dictionary(existing.map { ($0.email, $0) }, uniquingKeysWith: { first, _ in first })
            let fresh = batch.filter { known[$0.0] == nil }.map(\.1)
            if !fresh.isEmpty { try await fresh.create(on: db) }
            for (email, user) in batch {
                let id = try (known[email] ?? user).requireID()
                signedIn.append((id, try await startSession(for: id, on: db).accessToken))
            }
        }
        return signedIn
    }

    // MARK: - Sessions

    private var invalidCredentials: APIError {
        .unauthorized(.invalidCredentials, "The email or password is not correct.")
    }

    private func startSession(for userID: UUID, on db: any Database) async throws -> TokenService.Issued {
        try await db.writeTransaction { tx in
            let session = UserSession(userID: userID, createdAt: clock.now())
            try await session.create(on: tx)
            return try await issueTokens(userID: userID, sessionID: try session.requireID(), on: tx)
        }
    }

    private func issueTokens(userID: UUID, sessionID: UUID, on db: any Database) async throws -> TokenService.Issued {
        let issued = try await tokens.issue(userID: userID, sessionID: sessionID)
        try await RefreshToken(
            id: issued.refreshTokenID, sessionID: sessionID, expiresAt: issued.refreshExpiresAt, createdAt: clock.now()
        ).create(on: db)
        return issued
    }

    /// Sets `used_at` only if it was unset; the `RETURNING` row tells whether this caller won.
    private func markUsed(_ tokenID: UUID, at now: Date, on db: any Database) async throws -> Bool {
        let sql = try db.sql()
        let rows = try await sql.update(RefreshToken.schema)
            .set("used_at", to: now)
            .where("id", .equal, tokenID)
            .where("used_at", .is, SQLLiteral.null)
            .returning("id")
            .all()
        return rows.count == 1
    }

    private func revokeSessions(
        _ filter: ModelValueFilter<UserSession>, except keep: UUID? = nil, reason: String, on db: any Database
    ) async throws {
        let query = UserSession.query(on: db).filter(filter).filter(\.$revokedAt == nil)
        if let keep { query.filter(\.$id != keep) }
        try await query.set(\.$revokedAt, to: clock.now()).set(\.$revokedReason, to: reason).update()
    }

    private func ensureUnique(email: String, phone: String, excluding id: UUID?, on db: any Database) async throws {
        let query = User.query(on: db).group(.or) { $0.filter(\.$email == email).filter(\.$phone == phone) }
        if let id { query.filter(\.$id != id) }
        if let existing = try await query.first() {
            let field = existing.email == email ? "email" : "phone"
            throw APIError.conflict(.accountExists, "An account with this \(field) already exists.")
        }
    }
}
