import OpenAPIKit

extension CreateShowRequest: APISchema {
    static var apiSchema: JSONSchema {
        .object(properties: [
            "movie_id": .uuid,
            "screen_id": .uuid,
            "show_date": .string(format: .date, description: "Cinema-local date, YYYY-MM-DD"),
            "show_time": .string(description: "Cinema-local time, HH:mm", pattern: "^[0-2][0-9]:[0-5][0-9]$"),
            "language": .string(description: "One of the movie's languages"),
            "format": .string(description: "One of the movie's formats, e.g. 2D, IMAX"),
        ])
    }
}

extension UpdateShowRequest: APISchema {
    static var apiSchema: JSONSchema {
        .object(properties: [
            "movie_id": .string(format: .uuid, required: false),
            "screen_id": .string(format: .uuid, required: false),
            "show_date": .string(format: .date, required: false),
            "show_time": .string(required: false, pattern: "^[0-2][0-9]:[0-5][0-9]$"),
            "language": .string(required: false),
            "format": .string(required: false),
        ])
    }
}

extension CancelShowRequest: APISchema {
    static var apiSchema: JSONSchema {
        .object(properties: ["reason": .string(required: false)])
    }
}

extension ShowResponse: APISchema {
    static var apiSchema: JSONSchema {
        .object(properties: [
            "id": .uuid,
            "movie": .object(properties: [
                "id": .uuid, "title": .string, "duration_minutes": .integer,
                "certificate": .string(required: false, nullable: true),
                "poster_url": .string(required: false, nullable: true),
            ]),
            "screen": .object(properties: ["id": .uuid, "name": .string, "screen_type": .string]),
            "starts_at": .timestamp,
            "ends_at": .string(
                format: .dateTime, description: "When the screen is free again: start + duration + cleaning buffer"),
            "show_date": .string(format: .date, description: "Cinema-local date"),
            "show_time": .string(description: "Cinema-local time, HH:mm"),
            "language": .string,
            "format": .string,
            "status": .enumeration(ShowStatus.self),
            "is_on_sale": .boolean(description: "Scheduled and not yet started"),
            "cancelled_at": .nullableTimestamp,
            "cancel_reason": .string(required: false, nullable: true),
            "prices": .array(
                required: false,
                items: .object(properties: [
                    "category_id": .uuid, "name": .string, "display_order": .integer,
                    "price_minor": .minor("The price now, in paise: the base price moved by demand pricing"),
                    "base_price_minor": .minor("The category's price at this show before demand pricing"),
                ])),
        ])
    }
}

extension SlotsResponse: APISchema {
    static var apiSchema: JSONSchema {
        .object(properties: [
            "screen_id": .uuid,
            "date": .string(format: .date),
            "opens_at": .timestamp,
            "closes_at": .timestamp,
            "movie_id": .string(format: .uuid, required: false),
            "required_minutes": .integer(required: false, description: "Movie duration plus cleaning buffer"),
            "slots": .array(
                items: .object(properties: [
                    "starts_at": .timestamp, "ends_at": .timestamp, "start_time": .string, "end_time": .string,
                    "minutes": .integer, "latest_start_at": .string(format: .dateTime, required: false),
                    "latest_start_time": .string(required: false),
                ])),
        ])
    }
}

extension ShowPriceRequest: APISchema {
    static var apiSchema: JSONSchema {
        .object(properties: ["show_id": .uuid, "category_id": .uuid, "price_minor": .minor()])
    }
}

extension UpdateShowPriceRequest: APISchema {
    static var apiSchema: JSONSchema {
        .object(properties: ["price_minor": .minor()])
    }
}

extension ShowPriceResponse: APISchema {
    static var apiSchema: JSONSchema {
        .object(properties: ["id": .uuid, "show_id": .uuid, "category_id": .uuid, "price_minor": .minor()])
    }
}
