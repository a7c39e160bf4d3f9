import Fluent

struct CreateDiscount: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(Discount.schema)
            .id()
            .field("promo_code", .string, .required)
            .field("description", .string)
            .field("discount_type", .string, .required)
            .field("percent_bp", .int)
            .field("max_discount_minor", .int64)
            .field("flat_amount_minor", .int64)
            .field("min_subtotal_minor", .int64, .required)
            .field("starts_at", .datetime)
            .field("ends_at", .datetime)
            .field("is_active", .bool, .required)
            .field("usage_limit_total", .int)
            .field("usage_limit_per_user", .int)
            .field("movie_id", .uuid, .references(Movie.schema, "id", onDelete: .restrict))
            .field("show_id", .uuid, .references(Show.schema, "id", onDelete: .restrict))
            .field("times_used", .int, .required)
            .field("created_at", .datetime)
            .field("updated_at", .datetime)
            .unique(on: "promo_code", name: "uq_discounts_promo_code")
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(Discount.schema).delete()
    }
}
