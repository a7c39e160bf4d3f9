import Fluent

struct CreateSeatCategory: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(SeatCategory.schema)
            .id()
            .field("screen_id", .uuid, .required, .references(Screen.schema, "id", onDelete: .cascade))
            .field("name", .string, .required)
            .field("base_price_minor", .int64, .required)
            .field("display_order", .int, .required)
            .field("created_at", .datetime)
            .unique(on: "screen_id", "name", name: "uq_seat_categories_screen_name")
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(SeatCategory.schema).delete()
    }
}
