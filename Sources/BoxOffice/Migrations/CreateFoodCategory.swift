import Fluent

struct CreateFoodCategory: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(FoodCategory.schema)
            .id()
            .field("name", .string, .required)
            .field("name_key", .string, .required)
            .field("gst_category", .string, .required)
            .field("created_at", .datetime)
            .field("updated_at", .datetime)
            .unique(on: "name_key", name: "uq_food_categories_name_key")
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(FoodCategory.schema).delete()
    }
}
