import Fluent
import SQLKit

/// Exchanges (issue 29): their table, each booking's exchange count, and the exchange a difference payment pays.
struct CreateBookingExchanges: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(BookingExchange.schema)
            .id()
            .field("booking_id", .uuid, .required, .references(Booking.schema, "id", onDelete: .restrict))
            .field("user_id", .uuid, .required, .references(User.schema, "id", onDelete: .restrict))
            .field("from_show_id", .uuid, .required)
            .field("to_show_id", .uuid, .required)
            .field("hold_id", .uuid, .required)
            .field("status", .string, .required)
            .field("sequence", .int, .required)
            .field("old_total_minor", .int64, .required)
            .field("new_total_minor", .int64, .required)
            .field("fee_minor", .int64, .required)
            .field("difference_minor", .int64, .required)
            .field("plan", .string, .required)
            .field("due_by", .datetime, .required)
            .field("outcome", .string)
            .field("created_at", .datetime, .required)
            .field("completed_at", .datetime)
            .create()
        let sql = try database.sql()
        try await sql.create(index: "ix_booking_exchanges_booking").on(BookingExchange.schema).column("booking_id")
            .run()
        try await database.schema(Booking.schema)
            .field("exchange_count", .int, .required, .sql(.default(0)))
            .update()
        try await database.schema(Payment.schema)
            .field("exchange_id", .uuid)
            .update()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(Payment.schema).deleteField("exchange_id").update()
        try await database.schema(Booking.schema).deleteField("exchange_count").update()
        try await database.schema(BookingExchange.schema).delete()
    }
}
