import Fluent
import SQLKit

struct CreateOutbox: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(OutboxMessage.schema)
            .id()
            .field("kind", .string, .required)
            .field("payload", .string, .required)
            .field("created_at", .datetime, .required)
            .field("available_at", .datetime, .required)
            .field("attempts", .int, .required)
            .field("delivered_at", .datetime)
            .create()
        let sql = try database.sql()
        try await sql.create(index: "ix_outbox_pending").on(OutboxMessage.schema).column("delivered_at").column(
            "available_at"
        ).run()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(OutboxMessage.schema).delete()
    }
}
