import Fluent
import SQLKit

struct CreateSeat: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(Seat.schema)
            .id()
            .field("screen_id", .uuid, .required, .references(Screen.schema, "id", onDelete: .cascade))
            .field("category_id", .uuid, .required, .references(SeatCategory.schema, "id", onDelete: .restrict))
            .field("row_label", .string, .required)
            .field("column_number", .int, .required)
            .field("label", .string, .required)
            .field("kind", .string, .required)
            .field("is_available", .bool, .required)
            .field("retired_at", .datetime)
            .create()
        // Labels and positions are unique among the seats in use; retired seats keep their history.
        let sql = try database.sql()
        try await sql.raw(
            "CREATE UNIQUE INDEX uq_seats_screen_label ON seats (screen_id, label) WHERE retired_at IS NULL"
        ).run()
        try await sql.raw(
            "CREATE UNIQUE INDEX uq_seats_screen_position ON seats (screen_id, row_label, column_number) WHERE retired_at IS NULL"
        ).run()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(Seat.schema).delete()
    }
}
