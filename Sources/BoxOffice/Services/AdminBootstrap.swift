import Fluent
import Vapor

/// Creates the first admin, or makes sure an existing account with that email is an enabled admin.
/// Running it again changes nothing; an existing password is never overwritten.
struct AdminBootstrap {
    enum Outcome: Equatable {
        case created
        case promoted
        case unchanged
    }

    let hasher: PasswordHasher

    func ensureAdmin(email: String, password: String, name: String, on db: any Database) async throws -> Outcome {
        var checks = FieldChecks()
        checks.email(email.normalizedEmail)
        checks.password(password)
        checks.name(name)
        try checks.throwIfAny()
        if let existing = try await User.query(on: db).filter(\.$email == email.normalizedEmail).first() {
            guard existing.role != .admin || existing.isDisabled else { return .unchanged }
            existing.role = .admin
            existing.isDisabled = false
            try await existing.save(on: db)
            return .promoted
        }
        let admin = User(
            name: name.trimmed, email: email.normalizedEmail, phone: Self.placeholderPhone(),
            passwordHash: try await hasher.hash(password), role: .admin)
        try await admin.create(on: db)
        return .created
    }

    /// Admins created from the command line have no phone yet; a unique placeholder keeps the column's
    /// uniqueness rule and can be replaced with `PATCH /users/me`.
    private static func placeholderPhone() -> String {
        "+0" + String(UInt64.random(in: 100_000_000_000...999_999_999_999))
    }
}
