import Fluent
import SQLKit

struct CreateBooking: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(Booking.schema)
            .id()
            .field("reference", .string, .required)
            .field("user_id", .uuid, .required, .references(User.schema, "id", onDelete: .restrict))
            .field("show_id", .uuid, .required, .references(Show.schema, "id", onDelete: .restrict))
            .field("status", .string, .required)
            .field("promo_code", .string)
            .field("discount_id", .uuid, .references(Discount.schema, "id", onDelete: .restrict))
            .field("seats_subtotal_minor", .int64, .required)
            .field("food_subtotal_minor", .int64, .required)
            .field("subtotal_minor", .int64, .required)
            .field("discount_minor", .int64, .required)
            .field("taxable_minor", .int64, .required)
            .field("cgst_minor", .int64, .required)
            .field("sgst_minor", .int64, .required)
            .field("total_minor", .int64, .required)
            .field("currency", .string, .required)
            .field("payment_due_by", .datetime, .required)
            .field("created_at", .datetime, .required)
            .field("updated_at", .datetime, .required)
            .unique(on: "reference", name: "uq_bookings_reference")
            .create()
        let sql = try database.sql()
        try await sql.create(index: "ix_bookings_user").on(Booking.schema).column("user_id").run()
        try await sql.create(index: "ix_bookings_status_due").on(Booking.schema).column("status").column(
            "payment_due_by"
        ).run()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(Booking.schema).delete()
    }
}
