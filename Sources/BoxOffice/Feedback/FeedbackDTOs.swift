import Vapor

/// `POST /feedback`.
struct CreateFeedbackRequest: Content {
    static let maxCommentLength = 2_000
    static let ratingRule = "must be a whole number from 1 to 5"

    var bookingId: UUID
    /// 1 to 5.
    var rating: Int
    /// Optional; trimmed, and blank counts as none.
    var comment: String?

    func validate() throws {
        var checks = FieldChecks()
        checks.require((1...5).contains(rating), "rating", Self.ratingRule)
        if let comment = normalizedComment {
            checks.require(
                comment.count <= Self.maxCommentLength, "comment",
                "must be at most \(Self.maxCommentLength) characters")
        }
        try checks.throwIfAny()
    }

    /// The comment as stored: trimmed, nil when blank.
    var normalizedComment: String? {
        guard let trimmed = comment?.trimmed, !trimmed.isEmpty else { return nil }
        return trimmed
    }
}

extension CreateFeedbackRequest {
    /// Reads `rating` as any number and refuses a fraction as a 422 on `rating`: decoded straight into `Int`, a
    /// `4.5` fails without a field and would be answered as a malformed body (400).
    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        bookingId = try container.decode(UUID.self, forKey: .bookingId)
        comment = try container.decodeIfPresent(String.self, forKey: .comment)
        guard let rating = Int(exactly: try container.decode(Double.self, forKey: .rating)) else {
            throw APIError.validation(field: "rating", Self.ratingRule)
        }
        self.rating = rating
    }
}

/// `PUT /feedback/{id}/reply`: replaces any earlier reply.
struct FeedbackReplyRequest: Content {
    var reply: String

    func validate() throws {
        var checks = FieldChecks()
        checks.text(reply, "reply", max: CreateFeedbackRequest.maxCommentLength)
        try checks.throwIfAny()
    }
}

struct FeedbackResponse: Content {
    var id: UUID
    var bookingId: UUID
    var userId: UUID
    var showId: UUID
    var movieId: UUID
    var rating: Int
    var comment: String?
    var reply: String?
    var repliedAt: Date?
    var repliedBy: UUID?
    var createdAt: Date
    var updatedAt: Date

    init(_ feedback: Feedback) throws {
        id = try feedback.requireID()
        bookingId = feedback.$booking.id
        userId = feedback.$user.id
        showId = feedback.$show.id
        movieId = feedback.$movie.id
        rating = feedback.rating
        comment = feedback.comment
        reply = feedback.reply
        repliedAt = feedback.repliedAt
        repliedBy = feedback.$repliedBy.id
        createdAt = feedback.createdAt
        updatedAt = feedback.updatedAt
    }
}
