import Fluent
import SQLKit

struct CreateCheckIn: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(CheckIn.schema)
            .id()
            .field("booking_id", .uuid, .required, .references(Booking.schema, "id", onDelete: .restrict))
            .field("show_id", .uuid, .required, .references(Show.schema, "id", onDelete: .restrict))
            .field("admits", .int, .required)
            .field("admitted_by", .uuid, .required, .references(User.schema, "id", onDelete: .restrict))
            .field("admitted_at", .datetime, .required)
            // The final word on "admitted once": of two scans racing, the second insert fails here.
            .unique(on: "booking_id", name: "uq_checkins_booking")
            .create()
        // The door's count per show (`GET /shows/{id}/checkins`).
        try await database.sql().create(index: "ix_checkins_show").on(CheckIn.schema).column("show_id").run()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(CheckIn.schema).delete()
    }
}
