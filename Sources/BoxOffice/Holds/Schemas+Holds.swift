import OpenAPIKit
import Rules

extension CreateSeatLockRequest: APISchema {
    static var apiSchema: JSONSchema {
        .object(
            description: "Send seat_ids, or best_available to let the server choose",
            properties: [
                "show_id": .uuid,
                "seat_ids": .array(required: false, items: .string(format: .uuid)),
                "admission": .string(
                    required: false, description: "The waiting room's admission, when the show sells through one",
                    maxLength: 256),
                "best_available": .object(
                    required: false,
                    properties: [
                        "count": .integer(maximum: (10, exclusive: false), minimum: (1, exclusive: false)),
                        "category_id": .string(format: .uuid, required: false),
                        "accessible": .boolean(required: false),
                    ]),
            ])
    }
}

extension SeatLockResponse: APISchema {
    static var apiSchema: JSONSchema {
        .object(properties: [
            "lock_id": .uuid,
            "show_id": .uuid,
            "user_id": .uuid,
            "seat_ids": .array(items: .string(format: .uuid)),
            "seats": .array(
                items: .object(properties: [
                    "id": .uuid, "label": .string,
                    "price_minor": .integer(
                        required: false, nullable: true,
                        description:
                            "The seat's price in paise, fixed when the hold was placed: its booking charges this"),
                    "base_price_minor": .integer(
                        required: false, nullable: true,
                        description: "The seat category's price at the show before demand pricing moved it"),
                ])),
            "created_at": .timestamp,
            "expires_at": .timestamp,
        ])
    }
}

extension SeatLockCleanupResponse: APISchema {
    static var apiSchema: JSONSchema {
        .object(properties: ["removed": .integer])
    }
}

private let seatStatusSchema = JSONSchema.object(properties: [
    "id": .uuid, "label": .string, "row": .string, "column": .integer, "category_id": .uuid,
    "kind": .enumeration(SeatKind.self),
    "status": .string(allowedValues: "available", "held", "held_by_you", "booked", "unavailable"),
])

extension AvailabilityResponse: APISchema {
    static var apiSchema: JSONSchema {
        .object(properties: [
            "max_seats_per_customer": .integer(
                description: "MAX_SEATS_PER_USER_PER_SHOW: the most seats one customer may hold and book at this show",
                minimum: (1, exclusive: false)),
            "waiting_room": .object(
                required: false, nullable: true,
                description: "The show's waiting room: from opens_at until the start, holds need an admission "
                    + "(POST /shows/{id}/queue)",
                properties: ["opens_at": .timestamp, "on_sale_at": .timestamp]),
            "show": .reference(.component(named: "ShowResponse")),
            "categories": .array(
                items: .object(properties: [
                    "id": .uuid, "name": .string, "display_order": .integer,
                    "price_minor": .integer(
                        required: false, nullable: true,
                        description: "This show's price now, in paise (the base price moved by demand pricing)"),
                    "base_price_minor": .integer(
                        required: false, nullable: true,
                        description: "The category's price at this show before demand pricing"),
                ])),
            "seats": .array(items: seatStatusSchema),
            "counts": .object(description: "Seats per status", additionalProperties: .init(.integer)),
        ])
    }
}

extension BestAvailableResponse: APISchema {
    static var apiSchema: JSONSchema {
        .object(properties: ["show_id": .uuid, "seats": .array(items: seatStatusSchema)])
    }
}
