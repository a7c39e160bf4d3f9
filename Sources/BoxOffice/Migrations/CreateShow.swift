import Fluent
import SQLKit

struct CreateShow: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(Show.schema)
            .id()
            .field("movie_id", .uuid, .required, .references(Movie.schema, "id", onDelete: .restrict))
            .field("screen_id", .uuid, .required, .references(Screen.schema, "id", onDelete: .restrict))
            .field("starts_at", .datetime, .required)
            .field("ends_at", .datetime, .required)
            .field("show_date", .string, .required)
            .field("show_time", .string, .required)
            .field("language", .string, .required)
            .field("format", .string, .required)
            .field("status", .string, .required)
            .field("cancelled_at", .datetime)
            .field("cancel_reason", .string)
            .field("created_at", .datetime)
            .field("updated_at", .datetime)
            .create()
        let sql = try database.sql()
        try await sql.create(index: "ix_shows_screen_starts").on(Show.schema).column("screen_id").column("starts_at")
            .run()
        try await sql.create(index: "ix_shows_date").on(Show.schema).column("show_date").run()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(Show.schema).delete()
    }
}
