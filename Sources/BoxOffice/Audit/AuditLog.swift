import Fluent
import Foundation

/// One entry of the audit trail: who changed what, when, and how it looked before and after.
///
/// Rows are only ever added. `actor_email` is copied when the row is written, so the trail still reads right
/// after the account changes its email; a null actor is the system (the `create-admin` command, `ADMIN_EMAIL`).
final class AuditLog: Model, @unchecked Sendable {
    static let schema = "audit_logs"

    @ID(key: .id) var id: UUID?
    @OptionalParent(key: "actor_id") var actor: User?
    @OptionalField(key: "actor_email") var actorEmail: String?
    /// Stable: `<entity>.<verb>`, e.g. `movie.create`, `show_price.replace`, `user.role_change`.
    @Field(key: "action") var action: String
    @Field(key: "entity_type") var entityType: String
    /// Text, not a UUID: a future entity (a backup file) may be named otherwise.
    @OptionalField(key: "entity_id") var entityID: String?
    /// JSON text `{before, after, …}`, at most `AuditSummary.maxBytes`, secrets removed.
    @OptionalField(key: "summary") var summary: String?
    @OptionalField(key: "request_id") var requestID: String?
    /// From the injected clock, so tests that move time see it move.
    @Field(key: "created_at") var createdAt: Date

    init() {}
}

extension AuditLog {
    /// A UUID written as the API writes it (upper case), whatever case the path used, so one entity's rows share
    /// one `entity_id`; anything else unchanged.
    static func normalizedID(_ raw: String?) -> String? {
        guard let raw else { return nil }
        return UUID(uuidString: raw)?.uuidString ?? raw
    }
}
