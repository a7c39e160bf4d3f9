import OpenAPIKit

extension NotificationResponse: APISchema {
    static var apiSchema: JSONSchema {
        .object(properties: [
            "id": .uuid,
            "type": .string(
                description: "booking_confirmed, booking_cancelled, booking_expired, booking_refunded, "
                    + "booking_exchanged, show_cancelled or feedback_replied"),
            "title": .string,
            "message": .string,
            "data": .object(
                description: "What the notification is about",
                properties: [
                    "booking_id": .string(format: .uuid, required: false),
                    "show_id": .string(format: .uuid, required: false),
                    "feedback_id": .string(format: .uuid, required: false),
                ]),
            "is_read": .boolean,
            "created_at": .timestamp,
            "read_at": .nullableTimestamp,
        ])
    }
}

extension MarkReadResponse: APISchema {
    static var apiSchema: JSONSchema {
        .object(properties: ["updated": .integer(description: "Notifications that were unread and are now read")])
    }
}
