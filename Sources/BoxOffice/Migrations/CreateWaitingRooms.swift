import Fluent

struct CreateWaitingRooms: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(WaitingRoom.schema)
            .id()
            .field("show_id", .uuid, .required, .references(Show.schema, "id", onDelete: .cascade))
            .field("opens_at", .datetime, .required)
            .field("on_sale_at", .datetime, .required)
            .field("admit_per_minute", .int, .required)
            .field("admission_minutes", .int, .required)
            .field("updated_at", .datetime, .required)
            .unique(on: "show_id", name: "uq_waiting_rooms_show")
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(WaitingRoom.schema).delete()
    }
}
