import Fluent
import SQLKit

struct CreatePayment: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(Payment.schema)
            .id()
            .field("booking_id", .uuid, .required, .references(Booking.schema, "id", onDelete: .restrict))
            .field("user_id", .uuid, .required, .references(User.schema, "id", onDelete: .restrict))
            .field("amount_minor", .int64, .required)
            .field("currency", .string, .required)
            .field("method", .string, .required)
            .field("gateway", .string, .required)
            .field("gateway_payment_id", .string, .required)
            .field("status", .string, .required)
            .field("refunded_minor", .int64, .required)
            .field("failure_reason", .string)
            .field("completed_at", .datetime)
            .field("created_at", .datetime, .required)
            .field("updated_at", .datetime, .required)
            .unique(on: "gateway_payment_id", name: "uq_payments_gateway_id")
            .create()
        let sql = try database.sql()
        // At most one open payment per booking, whatever the timing.
        try await sql.raw("CREATE UNIQUE INDEX uq_payments_open ON payments (booking_id) WHERE status = 'PENDING'")
            .run()
        try await sql.create(index: "ix_payments_user").on(Payment.schema).column("user_id").run()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(Payment.schema).delete()
    }
}
