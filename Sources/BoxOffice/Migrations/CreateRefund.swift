import Fluent

struct CreateRefund: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(Refund.schema)
            .id()
            .field("payment_id", .uuid, .required, .references(Payment.schema, "id", onDelete: .restrict))
            .field("amount_minor", .int64, .required)
            .field("reason", .string, .required)
            .field("actor", .string, .required)
            .field("actor_id", .uuid)
            .field("gateway_refund_id", .string)
            .field("created_at", .datetime, .required)
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(Refund.schema).delete()
    }
}
