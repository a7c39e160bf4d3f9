import Fluent

struct CreateShowCategoryPrice: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(ShowCategoryPrice.schema)
            .id()
            .field("show_id", .uuid, .required, .references(Show.schema, "id", onDelete: .cascade))
            .field("category_id", .uuid, .required, .references(SeatCategory.schema, "id", onDelete: .restrict))
            .field("price_minor", .int64, .required)
            .field("created_at", .datetime)
            .field("updated_at", .datetime)
            .unique(on: "show_id", "category_id", name: "uq_show_category_prices")
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(ShowCategoryPrice.schema).delete()
    }
}
