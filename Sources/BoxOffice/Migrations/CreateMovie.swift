import Fluent

struct CreateMovie: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(Movie.schema)
            .id()
            .field("title", .string, .required)
            .field("title_search", .string, .required)
            .field("description", .string, .required)
            .field("duration_minutes", .int, .required)
            .field("genres", .array(of: .string), .required)
            .field("languages", .array(of: .string), .required)
            .field("formats", .array(of: .string), .required)
            .field("tags", .string, .required)
            .field("release_date", .string)
            .field("rating", .double)
            .field("certificate", .string)
            .field("poster_url", .string)
            .field("background_image_url", .string)
            .field("cast", .array(of: .json), .required)
            .field("crew", .array(of: .json), .required)
            .field("is_active", .bool, .required)
            .field("created_at", .datetime)
            .field("updated_at", .datetime)
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(Movie.schema).delete()
    }
}
