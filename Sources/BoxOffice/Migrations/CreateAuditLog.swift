import Fluent
import SQLKit

struct CreateAuditLog: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(AuditLog.schema)
            .id()
            .field("actor_id", .uuid, .references(User.schema, "id", onDelete: .setNull))
            .field("actor_email", .string)
            .field("action", .string, .required)
            .field("entity_type", .string, .required)
            .field("entity_id", .string)
            .field("summary", .string)
            .field("request_id", .string)
            .field("created_at", .datetime, .required)
            .create()
        // The trail is read newest first, by time range, and per entity ("who changed this price").
        let sql = try database.sql()
        try await sql.create(index: "ix_audit_logs_created_at").on(AuditLog.schema).column("created_at").run()
        try await sql.create(index: "ix_audit_logs_entity").on(AuditLog.schema).column("entity_type")
            .column("entity_id").run()
        try await sql.create(index: "ix_audit_logs_actor").on(AuditLog.schema).column("actor_id").run()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(AuditLog.schema).delete()
    }
}
