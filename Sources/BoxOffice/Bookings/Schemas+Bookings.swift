import OpenAPIKit
import Rules

extension CreateBookingRequest: APISchema {
    static var apiSchema: JSONSchema {
        .object(properties: [
            "show_id": .uuid,
            "lock_id": .string(format: .uuid, description: "Your live hold on the seats (POST /seatlocks)"),
            "foods": .array(
                required: false,
                items: .object(properties: [
                    "food_id": .uuid,
                    "quantity": .integer(maximum: (20, exclusive: false), minimum: (1, exclusive: false)),
                ])),
            "promo_code": .string(required: false),
        ])
    }
}

extension BookingResponse: APISchema {
    static var apiSchema: JSONSchema {
        let tax: OrderedDictionary<String, JSONSchema> = [
            "discount_minor": .minor("This line's share of the discount"),
            "cgst_percent": .percent(), "sgst_percent": .percent(),
            "cgst_minor": .minor(), "sgst_minor": .minor(),
        ]
        var seat: OrderedDictionary<String, JSONSchema> = [
            "seat_id": .uuid, "label": .string, "category_id": .uuid, "category": .string, "price_minor": .minor(),
        ]
        var food: OrderedDictionary<String, JSONSchema> = [
            "food_id": .uuid, "name": .string, "quantity": .integer, "unit_price_minor": .minor(),
        ]
        for (key, value) in tax {
            seat[key] = value
            food[key] = value
        }
        return .object(properties: [
            "id": .uuid,
            "reference": .string(description: "Short reference printed on tickets, e.g. BX-7K2M9Q"),
            "status": .enumeration(BookingStatus.self),
            "user_id": .uuid,
            "show_id": .uuid,
            "seats": .array(items: .object(properties: seat)),
            "foods": .array(items: .object(properties: food)),
            "promo_code": .string(required: false, nullable: true),
            "breakdown": .object(properties: [
                "seats_minor": .minor(), "food_minor": .minor(), "subtotal_minor": .minor(), "discount_minor": .minor(),
                "taxable_minor": .minor(), "cgst_minor": .minor(), "sgst_minor": .minor(), "total_minor": .minor(),
                "currency": .string(allowedValues: "INR"),
            ]),
            "payment_due_by": .timestamp,
            "created_at": .timestamp,
            "updated_at": .timestamp,
            "movie_title": .string(required: false, description: "On GET /bookings and GET /bookings/{id}"),
            "starts_at": .string(
                format: .dateTime, required: false,
                description: "The show's start; on GET /bookings and GET /bookings/{id}"),
            "screen_name": .string(required: false, description: "On GET /bookings and GET /bookings/{id}"),
            "seat_labels": .array(
                required: false, description: "Seat labels as the seat map shows them (F5), in row and number order",
                items: .string),
        ])
    }
}

extension BookingLogList: APISchema {
    static var apiSchema: JSONSchema {
        .object(properties: [
            "items": .array(
                items: .object(properties: [
                    "from": .enumeration(BookingStatus.self, required: false),
                    "to": .enumeration(BookingStatus.self),
                    "actor": .string(allowedValues: "user", "admin", "system", "payment"),
                    "actor_id": .string(format: .uuid, required: false),
                    "reason": .string,
                    "at": .timestamp,
                ]))
        ])
    }
}

extension CancellationQuote: APISchema {
    static var apiSchema: JSONSchema {
        .object(properties: [
            "booking_id": .uuid,
            "status": .enumeration(BookingStatus.self),
            "cancellable": .boolean(description: "Whether POST /bookings/{id}/cancel would cancel it now"),
            "refund_percent": .integer(
                required: false, description: "The cancellation policy's percent now (a confirmed booking only)",
                maximum: (100, exclusive: false), minimum: (0, exclusive: false)),
            "paid_minor": .minor("What the completed payment took"),
            "refund_minor": .minor("What cancelling now would refund"),
            "currency": .string(allowedValues: "INR"),
            "starts_at": .timestamp,
            "valid_until": .string(
                format: .dateTime, required: false,
                description: "When this refund stops holding (the next tier starts, or cancelling ends)"),
            "message": .string(description: "The outcome in words"),
        ])
    }
}
