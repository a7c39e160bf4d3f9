import Fluent

struct CreateBookingStatusLog: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(BookingStatusLog.schema)
            .id()
            .field("booking_id", .uuid, .required, .references(Booking.schema, "id", onDelete: .cascade))
            .field("from_status", .string)
            .field("to_status", .string, .required)
            .field("actor", .string, .required)
            .field("actor_id", .uuid)
            .field("reason", .string, .required)
            .field("created_at", .datetime, .required)
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(BookingStatusLog.schema).delete()
    }
}
