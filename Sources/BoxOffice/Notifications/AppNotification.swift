import Fluent
import Foundation

/// A message to one customer, kept until they read it (and after). Created from an outbox event, at most once per
/// event: `event_id` is unique.
final class AppNotification: Model, @unchecked Sendable {
    static let schema = "notifications"

    @ID(key: .id) var id: UUID?
    @Parent(key: "user_id") var user: User
    @OptionalField(key: "event_id") var eventID: UUID?
    @Field(key: "type") var type: String
    @Field(key: "title") var title: String
    @Field(key: "message") var message: String
    /// JSON: the ids the notification is about (`booking_id`, `show_id`, `feedback_id`).
    @Field(key: "data") var data: String
    @Field(key: "is_read") var isRead: Bool
    @Field(key: "created_at") var createdAt: Date
    @OptionalField(key: "read_at") var readAt: Date?

    init() {}
}
