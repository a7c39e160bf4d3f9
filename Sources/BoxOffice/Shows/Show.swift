import Fluent
import Foundation

enum ShowStatus: String, Codable, Sendable, CaseIterable {
    case scheduled = "SCHEDULED"
    case cancelled = "CANCELLED"
}

final class Show: Model, @unchecked Sendable {
    static let schema = "shows"

    @ID(key: .id) var id: UUID?
    @Parent(key: "movie_id") var movie: Movie
    @Parent(key: "screen_id") var screen: Screen
    /// The instant the show starts (UTC).
    @Field(key: "starts_at") var startsAt: Date
    /// When the screen is free again: start + movie duration + cleaning buffer.
    @Field(key: "ends_at") var endsAt: Date
    /// The cinema-local date (`YYYY-MM-DD`) and time (`HH:mm`) the show was entered with.
    @Field(key: "show_date") var showDate: String
    @Field(key: "show_time") var showTime: String
    @Field(key: "language") var language: String
    @Field(key: "format") var format: String
    @Field(key: "status") var status: ShowStatus
    @OptionalField(key: "cancelled_at") var cancelledAt: Date?
    @OptionalField(key: "cancel_reason") var cancelReason: String?
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?
    @Timestamp(key: "updated_at", on: .update) var updatedAt: Date?

    init() {}
}
