import Fluent

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
            .unique(on: "screen_id", "label", name: "uq_seats_screen_label")
            .unique(on: "screen_id", "row_label", "column_number", name: "uq_seats_screen_position")
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(Seat.schema).delete()
    }
}
