import OpenAPIKit

extension JSONSchema {
    static let feedbackRating = JSONSchema.integer(
        description: "1 (poor) to 5 (excellent)", maximum: (5, exclusive: false), minimum: (1, exclusive: false))
}

extension CreateFeedbackRequest: APISchema {
    static var apiSchema: JSONSchema {
        .object(
            description: "Refusals: 404 for a booking that is not yours; 409 booking_not_confirmed, "
                + "show_not_started or feedback_exists",
            properties: [
                "booking_id": .string(format: .uuid, description: "Your confirmed booking"),
                "rating": .feedbackRating,
                "comment": .string(
                    required: false, nullable: true, description: "Trimmed; blank is stored as none",
                    maxLength: maxCommentLength),
            ])
    }
}

extension FeedbackReplyRequest: APISchema {
    static var apiSchema: JSONSchema {
        .object(properties: [
            "reply": .string(description: "Trimmed", minLength: 1, maxLength: CreateFeedbackRequest.maxCommentLength)
        ])
    }
}

extension FeedbackResponse: APISchema {
    static var apiSchema: JSONSchema {
        .object(properties: [
            "id": .uuid,
            "booking_id": .uuid,
            "user_id": .string(format: .uuid, description: "Its author"),
            "show_id": .uuid,
            "movie_id": .uuid,
            "rating": .feedbackRating,
            "comment": .string(required: false, nullable: true),
            "reply": .string(required: false, nullable: true, description: "The cinema's latest reply"),
            "replied_at": .nullableTimestamp,
            "replied_by": .string(format: .uuid, required: false, nullable: true, description: "The admin who replied"),
            "created_at": .timestamp,
            "updated_at": .timestamp,
        ])
    }
}
