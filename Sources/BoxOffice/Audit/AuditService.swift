import Fluent
import Vapor

/// Who did an audited thing: a signed-in account, or the system itself (commands, start-up, jobs).
enum AuditActor: Sendable, Equatable {
    case system
    case user(id: UUID, email: String?)
}

/// Writes and reads the audit trail.
///
/// Admin HTTP writes are recorded by `AuditMiddleware`; work with no admin route of its own (the `create-admin`
/// command, `ADMIN_EMAIL`, and later backups and restores) calls `record` directly.
struct AuditService: Sendable {
    let clock: any AppClock

    /// Adds one row. `before`/`after` are redacted and bounded by `AuditSummary`; `extra` adds members to the summary
    /// (e.g. a backup's size). Pass a transaction's database to make the row part of the change.
    func record(
        _ action: String, entityType: String, entityID: String?, actor: AuditActor,
        before: AuditJSON? = nil, after: AuditJSON? = nil, extra: [String: AuditJSON] = [:],
        requestID: String? = nil, on db: any Database
    ) async throws {
        let row = AuditLog()
        if case .user(let id, let email) = actor {
            row.$actor.id = id
            row.actorEmail = email
        }
        row.action = action
        row.entityType = entityType
        row.entityID = entityID
        row.summary = AuditSummary.text(before: before, after: after, extra: extra)
        row.requestID = requestID
        row.createdAt = clock.now()
        try await row.create(on: db)
    }

    /// Newest first (ties by id, so pages never overlap), narrowed by the filters.
    func list(_ filters: AuditListQuery, page: PageRequest, on db: any Database) async throws -> Page<AuditLogResponse>
    {
        let query = AuditLog.query(on: db)
        if let actorID = filters.actorID { query.filter(\.$actor.$id == actorID) }
        if let action = filters.action { query.filter(\.$action == action) }
        if let entityType = filters.entityType { query.filter(\.$entityType == entityType) }
        if let entityID = filters.entityID { query.filter(\.$entityID == entityID) }
        if let from = filters.from { query.filter(\.$createdAt >= from) }
        if let to = filters.to { query.filter(\.$createdAt < to) }
        return try await query.sort(\.$createdAt, .descending).sort(\.$id, .descending)
            .page(page, map: AuditLogResponse.init)
    }
}
