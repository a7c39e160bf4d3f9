import Fluent

struct CreateScreen: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(Screen.schema)
            .id()
            .field("name", .string, .required)
            .field("screen_type", .string, .required)
            .field("is_available", .bool, .required)
            .field("created_at", .datetime)
            .field("updated_at", .datetime)
            .unique(on: "name", name: "uq_screens_name")
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(Screen.schema).delete()
    }
}
