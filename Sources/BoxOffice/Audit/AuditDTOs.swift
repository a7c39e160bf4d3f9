import Vapor

/// One row of `GET /audit-logs`.
struct AuditLogResponse: Content {
    var id: UUID
    /// None for the system.
    var actorId: UUID?
    var actorEmail: String?
    var action: String
    var entityType: String
    var entityId: String?
    /// `{before, after}` as stored; `truncated: true` when it had to be shortened.
    var summary: AuditJSON?
    var requestId: String?
    var createdAt: Date

    init(_ row: AuditLog) throws {
        id = try row.requireID()
        actorId = row.$actor.id
        actorEmail = row.actorEmail
        action = row.action
        entityType = row.entityType
        entityId = row.entityID
        summary = row.summary.flatMap { AuditJSON.parse(Data($0.utf8)) }
        requestId = row.requestID
        createdAt = row.createdAt
    }
}
