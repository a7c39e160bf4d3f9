import Fluent

struct CreatePricingRules: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(PricingRuleSet.schema)
            .id()
            .field("scope", .string, .required)
            .field("show_id", .uuid, .references(Show.schema, "id", onDelete: .cascade))
            .field("rules", .string, .required)
            .field("updated_at", .datetime, .required)
            .unique(on: "scope", name: "uq_pricing_rules_scope")
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(PricingRuleSet.schema).delete()
    }
}
