import Fluent
import Vapor

/// Creates the first admin, or makes sure an existing account with that email is an enabled admin.
///
/// Promoting an account someone else may have signed up with (anyone can register the operator's email first)
/// would hand them admin rights, so a promoted account gets the operator's password and every one of its
/// sessions ends: only whoever knows the new password can act as that admin. An account that already is an
/// enabled admin is left alone, so running it again (every start with `ADMIN_EMAIL`) changes nothing.
struct AdminBootstrap {
    enum Outcome: Equatable {
        case created
        case promoted
        case unchanged
    }

    let hasher: PasswordHasher
    let clock: any AppClock
    let sessions: SessionCache

    func ensureAdmin(email: String, password: String, name: String, on db: any Database) async throws -> Outcome {
        var checks = FieldChecks()
        checks.email(email.normalizedEmail)
        checks.password(password)
        checks.name(name)
        try checks.throwIfAny()
        if let existing = try await User.query(on: db).filter(\.$email == email.normalizedEmail).first() {
            guard existing.role != .admin || existing.isDisabled else { return .unchanged }
            let hash = try await hasher.hash(password)
            try await db.writeTransaction { tx in
                existing.role = .admin
                existing.isDisabled = false
                existing.passwordHash = hash
                try await existing.save(on: tx)
                try await UserSession.query(on: tx).filter(\.$user.$id == existing.requireID()).filter(
                    \.$revokedAt == nil
                )
                .set(\.$revokedAt, to: clock.now()).set(\.$revokedReason, to: "promoted_to_admin").update()
            }
            await sessions.changed()
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
