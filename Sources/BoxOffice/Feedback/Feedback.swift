import Fluent
import Foundation

/// A customer's rating of a show they went to, one per booking, and the cinema's reply to it.
///
/// `show_id` and `movie_id` are copied from the booking when it is written, so admins filter by movie or show
/// without joining through bookings.
final class Feedback: Model, @unchecked Sendable {
    static let schema = "feedback"

    @ID(key: .id) var id: UUID?
    /// Unique: one feedback per booking (`uq_feedback_booking`).
    @Parent(key: "booking_id") var booking: Booking
    @Parent(key: "user_id") var user: User
    @Parent(key: "show_id") var show: Show
    @Parent(key: "movie_id") var movie: Movie
    /// 1 to 5.
    @Field(key: "rating") var rating: Int
    @OptionalField(key: "comment") var comment: String?
    @OptionalField(key: "reply") var reply: String?
    @OptionalField(key: "replied_at") var repliedAt: Date?
    @OptionalParent(key: "replied_by") var repliedBy: User?
    /// Set from the injected clock (not `@Timestamp`), so tests that move time see it move.
    @Field(key: "created_at") var createdAt: Date
    @Field(key: "updated_at") var updatedAt: Date

    init() {}
}
