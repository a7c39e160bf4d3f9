import Fluent
import SQLKit

struct CreateBookingSeat: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(BookingSeat.schema)
            .id()
            .field("booking_id", .uuid, .required, .references(Booking.schema, "id", onDelete: .cascade))
            .field("show_id", .uuid, .required, .references(Show.schema, "id", onDelete: .restrict))
            .field("seat_id", .uuid, .required, .references(Seat.schema, "id", onDelete: .restrict))
            .field("seat_label", .string, .required)
            .field("category_id", .uuid, .required)
            .field("category_name", .string, .required)
            .field("price_minor", .int64, .required)
            .field("discount_minor", .int64, .required)
            .field("cgst_bp", .int, .required)
            .field("sgst_bp", .int, .required)
            .field("cgst_minor", .int64, .required)
            .field("sgst_minor", .int64, .required)
            .field("is_active", .bool, .required)
            .create()
        // Fluent cannot express a partial index; this is the one rule no race can get around:
        // a seat of a show belongs to at most one pending or confirmed booking.
        let sql = try database.sql()
        try await sql.raw(
            """
            CREATE UNIQUE INDEX uq_booking_seats_active ON booking_seats (show_id, seat_id) WHERE is_active = \(unsafeRaw: sql.dialect.name == "sqlite" ? "1" : "TRUE")
            """
        ).run()
        try await sql.create(index: "ix_booking_seats_booking").on(BookingSeat.schema).column("booking_id").run()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(BookingSeat.schema).delete()
    }
}
