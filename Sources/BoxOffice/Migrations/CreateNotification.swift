import Fluent
import SQLKit

struct CreateNotification: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(AppNotification.schema)
            .id()
            .field("user_id", .uuid, .required, .references(User.schema, "id", onDelete: .cascade))
            .field("event_id", .uuid)
            .field("type", .string, .required)
            .field("title", .string, .required)
            .field("message", .string, .required)
            .field("data", .string, .required)
            .field("is_read", .bool, .required)
            .field("created_at", .datetime, .required)
            .field("read_at", .datetime)
            .unique(on: "event_id", name: "uq_notifications_event_id")
            .create()
        // A user's list, newest first, and their unread count.
        try await database.sql().create(index: "ix_notifications_user").on(AppNotification.schema)
            .column("user_id").column("is_read").column("created_at").run()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(AppNotification.schema).delete()
    }
}
