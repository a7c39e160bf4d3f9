import Fluent
import Vapor

/// Creates the first admin, or makes sure an existing account with that email is an enabled admin.
///
/// Promoting an account someone else may have signed up with (anyone can register the operator's email first)
/// would hand them admin rights, so a promoted account gets the operator's password and every one of its
/// sessions ends: only whoever knows the new password can act as that admin. An account that already is an
/// enabled admin is left alone, so running it again (every start with `ADMIN_EMAIL`) changes nothing.
///
/// No admin calls this over HTTP, so it writes its own audit rows, with the system as the actor: `user.promote`
/// (in the promotion's transaction) and `user.create`.
struct AdminBootstrap {
    enum Outcome: Equatable {
        case created
        case promoted
        case unchanged
    }

    let hasher: PasswordHasher
    let clock: any AppClock
    let sessions: SessionCache
    let audit: AuditService

    func ensureAdmin(email: String, password: String, name: String, on db: any Database) async throws -> Outcome {
        var checks = FieldChecks()
        checks.email(email.normalizedEmail)
        checks.password(password)
        checks.name(name)
        try checks.throwIfAny()
        if let existing = try await User.query(on: db).filter(\.$email == email.normalizedEmail).first() {
            guard existing.role != .admin || existing.isDisabled else { return .unchanged }
            let hash = try await hasher.hash(password)
            let before = Self.access(existing)
            try await db.writeTransaction { tx in
                existing.role = .admin
                existing.isDisabled = false
                existing.passwordHash = hash
                try await existing.save(on: tx)
                try await UserSession.query(on: tx).filter(\.$user.$id == existing.requireID()).filter(
                    \.$revokedAt == nil
                )
                .set(\.$revokedAt, to: clock.now()).set(\.$revokedReason, to: "promoted_to_admin").update()
                try await audit.record(
                    "user.promote", entityType: "user", entityID: existing.id?.uuidString, actor: .system,
                    before: before, after: Self.access(existing), on: tx)
            }
            await sessions.changed()
            return .promoted
        }
        let admin = User(
            name: name.trimmed, email: email.normalizedEmail, phone: Self.placeholderPhone(),
            passwordHash: try await hasher.hash(password), role: .admin)
        try await db.writeTransaction { tx in
            try await admin.create(on: tx)
            try await audit.record(
                "user.create", entityType: "user", entityID: admin.id?.uuidString, actor: .system,
                after: Self.access(admin), on: tx)
        }
        return .created
    }

    /// What the audit trail keeps of an account here: who it is and its access, never its password.
    private static func access(_ user: User) -> AuditJSON {
        .object([
            "email": .string(user.email), "role": .string(user.role.rawValue), "is_disabled": .bool(user.isDisabled),
        ])
    }

    /// Admins created from the command line have no phone yet; a unique placeholder keeps the column's
    /// uniqueness rule and can be replaced with `PATCH /users/me`.
    private static func placeholderPhone() -> String {
        "+0" + String(UInt64.random(in: 100_000_000_000...999_999_999_999))
    }
}
