import Fluent
import SQLKit

struct CreateFeedback: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(Feedback.schema)
            .id()
            .field("booking_id", .uuid, .required, .references(Booking.schema, "id", onDelete: .restrict))
            .field("user_id", .uuid, .required, .references(User.schema, "id", onDelete: .restrict))
            .field("show_id", .uuid, .required, .references(Show.schema, "id", onDelete: .restrict))
            .field("movie_id", .uuid, .required, .references(Movie.schema, "id", onDelete: .restrict))
            .field("rating", .int, .required)
            .field("comment", .string)
            .field("reply", .string)
            .field("replied_at", .datetime)
            .field("replied_by", .uuid, .references(User.schema, "id", onDelete: .setNull))
            .field("created_at", .datetime, .required)
            .field("updated_at", .datetime, .required)
            // The final word on "one per booking": two racing requests cannot both pass it.
            .unique(on: "booking_id", name: "uq_feedback_booking")
            .create()
        let sql = try database.sql()
        try await sql.create(index: "ix_feedback_user").on(Feedback.schema).column("user_id").run()
        try await sql.create(index: "ix_feedback_movie").on(Feedback.schema).column("movie_id").run()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(Feedback.schema).delete()
    }
}
