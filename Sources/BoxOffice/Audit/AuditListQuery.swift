import Vapor

/// `GET /audit-logs`: actor, action, entity and a time window (from inclusive, to exclusive).
struct AuditListQuery: ListQuery {
    var actorID: UUID?
    var action: String?
    var entityType: String?
    var entityID: String?
    var from: Date?
    var to: Date?

    init(from req: Request) throws {
        actorID = try req.query.get(UUID?.self, at: "actor_id")
        action = try req.queryText("action")
        entityType = try req.queryText("entity_type")
        entityID = AuditLog.normalizedID(try req.queryText("entity_id"))
        from = try req.queryDate("from")
        to = try req.queryDate("to")
        var checks = FieldChecks()
        for (name, value) in [("action", action), ("entity_type", entityType), ("entity_id", entityID)] {
            checks.require((value?.count ?? 0) <= 200, name, "must be at most 200 characters")
        }
        if let from, let to { checks.require(from <= to, "to", "must not be before from") }
        try checks.throwIfAny()
    }

    static let parameters: [APIDoc.QueryParameter] = [
        .uuid("actor_id", "Only this admin's changes"),
        .init(
            name: "action", schema: .string(required: false),
            description: "Exactly this action, e.g. show_price.replace, user.role_change"),
        .init(name: "entity_type", schema: .string(required: false), description: "e.g. movie, show_price, user"),
        .init(name: "entity_id", schema: .string(required: false), description: "One entity's history"),
        .dateTime("from", "At or after"),
        .dateTime("to", "Before"),
    ]
}
