import Vapor

struct SignupRequest: Content {
    var name: String
    var email: String
    var phone: String
    var password: String

    func validate() throws {
        var checks = FieldChecks()
        checks.name(name)
        checks.email(email.normalizedEmail)
        checks.phone(phone.trimmed)
        checks.password(password)
        try checks.throwIfAny()
    }
}

struct LoginRequest: Content {
    var email: String
    var password: String
    /// The web client's: the refresh token comes as the `bx_refresh` cookie, not in the body (`RefreshCookie`).
    var cookie: Bool?
}

struct RefreshRequest: Content {
    /// Absent (or no body at all): the `bx_refresh` cookie's.
    var refreshToken: String?
}

struct TokenResponse: Content {
    var accessToken: String
    var refreshToken: String
    var tokenType = "bearer"
    var expiresIn: Int
}

/// A token answer whose refresh token went into the `bx_refresh` cookie: the page never sees it.
struct CookieTokenResponse: Content {
    var accessToken: String
    var tokenType = "bearer"
    var expiresIn: Int
}

struct UserResponse: Content {
    var id: UUID
    var name: String
    var email: String
    var phone: String
    var role: UserRole
    var isDisabled: Bool
    var createdAt: Date?
    var updatedAt: Date?

    init(_ user: User) throws {
        id = try user.requireID()
        name = user.name
        email = user.email
        phone = user.phone
        role = user.role
        isDisabled = user.isDisabled
        createdAt = user.createdAt
        updatedAt = user.updatedAt
    }
}

struct UpdateMeRequest: Content {
    var name: String?
    var email: String?
    var phone: String?

    func validate() throws {
        var checks = FieldChecks()
        if let name { checks.name(name) }
        if let email { checks.email(email.normalizedEmail) }
        if let phone { checks.phone(phone.trimmed) }
        try checks.throwIfAny()
    }
}

struct ChangePasswordRequest: Content {
    var currentPassword: String
    var newPassword: String

    func validate() throws {
        var checks = FieldChecks()
        checks.password(newPassword, "new_password")
        try checks.throwIfAny()
    }
}

struct AdminUpdateUserRequest: Content {
    var role: UserRole?
    var disabled: Bool?
}
