import Fluent
import SQLKit

struct CreateFoodItem: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(FoodItem.schema)
            .id()
            .field("name", .string, .required)
            .field("name_search", .string, .required)
            .field("description", .string, .required)
            .field("price_minor", .int64, .required)
            .field("category_id", .uuid, .required, .references(FoodCategory.schema, "id", onDelete: .restrict))
            .field("is_veg", .bool, .required)
            .field("is_available", .bool, .required)
            .field("image_url", .string)
            .field("stock", .int)
            .field("created_at", .datetime)
            .field("updated_at", .datetime)
            .create()
        let sql = try database.sql()
        try await sql.create(index: "ix_food_items_category").on(FoodItem.schema).column("category_id").run()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(FoodItem.schema).delete()
    }
}
