import Fluent
import SQLKit

/// The audit trail outlives the accounts it names: `actor_id` stops being a foreign key to `users`.
///
/// A restore replaces `users` but keeps `audit_logs` (rows are only ever added), so a key would either null every
/// actor of the kept rows (`ON DELETE SET NULL`) or refuse the restore when an admin made after the backup acted.
/// `actor_email` is copied into each row, so a row still reads right when its account is gone. Neither SQLite nor a
/// portable statement can drop a column's key in place, so the table is rebuilt with the same columns and indexes.
struct DropAuditLogActorKey: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.transaction { tx in
            try await Self.rebuild(on: tx, actorKey: false)
        }
    }

    func revert(on database: any Database) async throws {
        try await database.transaction { tx in
            // Rows of accounts that are gone keep their email, as `ON DELETE SET NULL` would have left them.
            try await tx.sql().raw(
                "UPDATE audit_logs SET actor_id = NULL WHERE actor_id NOT IN (SELECT id FROM users)"
            ).run()
            try await Self.rebuild(on: tx, actorKey: true)
        }
    }

    private static let columns = [
        "id", "actor_id", "actor_email", "action", "entity_type", "entity_id", "summary", "request_id", "created_at",
    ]

    private static func rebuild(on db: any Database, actorKey: Bool) async throws {
        let next = AuditLog.schema + "_next"
        var schema = db.schema(next).id()
        schema =
            actorKey
            ? schema.field("actor_id", .uuid, .references(User.schema, "id", onDelete: .setNull))
            : schema.field("actor_id", .uuid)
        try await schema
            .field("actor_email", .string)
            .field("action", .string, .required)
            .field("entity_type", .string, .required)
            .field("entity_id", .string)
            .field("summary", .string)
            .field("request_id", .string)
            .field("created_at", .datetime, .required)
            .create()
        let sql = try db.sql()
        try await sql.raw(
            """
            INSERT INTO \(ident: next) (\(idents: columns, joinedBy: ", ")) \
            SELECT \(idents: columns, joinedBy: ", ") FROM \(ident: AuditLog.schema)
            """
        ).run()
        try await sql.raw("DROP TABLE \(ident: AuditLog.schema)").run()
        try await sql.raw("ALTER TABLE \(ident: next) RENAME TO \(ident: AuditLog.schema)").run()
        // The old table's indexes went with it.
        try await sql.create(index: "ix_audit_logs_created_at").on(AuditLog.schema).column("created_at").run()
        try await sql.create(index: "ix_audit_logs_entity").on(AuditLog.schema).column("entity_type")
            .column("entity_id").run()
        try await sql.create(index: "ix_audit_logs_actor").on(AuditLog.schema).column("actor_id").run()
    }
}
