import OpenAPIKit
import Rules

extension CreateScreenRequest: APISchema {
    static var apiSchema: JSONSchema {
        .object(properties: [
            "name": .string(minLength: 1, maxLength: 100),
            "screen_type": .string(description: "e.g. standard, imax, 4dx", minLength: 1, maxLength: 40),
            "is_available": .boolean(required: false),
        ])
    }
}

extension UpdateScreenRequest: APISchema {
    static var apiSchema: JSONSchema {
        .object(properties: [
            "name": .string(required: false, minLength: 1, maxLength: 100),
            "screen_type": .string(required: false, minLength: 1, maxLength: 40),
            "is_available": .boolean(required: false),
        ])
    }
}

extension ScreenResponse: APISchema {
    static var apiSchema: JSONSchema {
        .object(properties: [
            "id": .uuid,
            "name": .string,
            "screen_type": .string,
            "is_available": .boolean,
            "capacity": .integer(description: "Sellable seats: in service and not blocked"),
            "total_seats": .integer,
            "categories": .array(
                items: .object(properties: [
                    "category_id": .uuid, "name": .string, "base_price_minor": .minor(),
                    "display_order": .integer, "seats": .integer,
                ])),
            "kinds": .object(
                description: "Seats per kind: standard, wheelchair, companion, blocked",
                additionalProperties: .init(.integer)),
        ])
    }
}

extension SeatCategoryRequest: APISchema {
    static var apiSchema: JSONSchema {
        .object(properties: [
            "screen_id": .uuid,
            "name": .string(minLength: 1, maxLength: 60),
            "base_price_minor": .minor("Default price of this category at new shows, in paise"),
            "display_order": .integer(required: false),
        ])
    }
}

extension UpdateSeatCategoryRequest: APISchema {
    static var apiSchema: JSONSchema {
        .object(properties: [
            "name": .string(required: false, minLength: 1, maxLength: 60),
            "base_price_minor": .minor(required: false),
            "display_order": .integer(required: false),
        ])
    }
}

extension SeatCategoryResponse: APISchema {
    static var apiSchema: JSONSchema {
        .object(properties: [
            "id": .uuid, "screen_id": .uuid, "name": .string, "base_price_minor": .minor(), "display_order": .integer,
        ])
    }
}

extension CreateSeatRequest: APISchema {
    static var apiSchema: JSONSchema {
        .object(properties: [
            "screen_id": .uuid,
            "category_id": .uuid,
            "row_label": .string(pattern: "^[A-Z]{1,3}$"),
            "column": .integer(maximum: (200, exclusive: false), minimum: (1, exclusive: false)),
            "label": .string(required: false, description: "Defaults to row label + column, e.g. C7"),
            "kind": .enumeration(SeatKind.self, required: false),
            "is_available": .boolean(required: false),
        ])
    }
}

extension UpdateSeatRequest: APISchema {
    static var apiSchema: JSONSchema {
        .object(properties: [
            "category_id": .string(format: .uuid, required: false),
            "kind": .enumeration(SeatKind.self, required: false),
            "is_available": .boolean(required: false),
            "label": .string(required: false),
        ])
    }
}

extension SeatResponse: APISchema {
    static var apiSchema: JSONSchema {
        .object(properties: [
            "id": .uuid, "screen_id": .uuid, "category_id": .uuid, "row_label": .string, "column": .integer,
            "label": .string, "kind": .enumeration(SeatKind.self), "is_available": .boolean,
        ])
    }
}

extension LayoutRequest: APISchema {
    static var apiSchema: JSONSchema {
        let numbers = JSONSchema.array(required: false, items: .integer(minimum: (1, exclusive: false)))
        return .object(properties: [
            "categories": .array(
                required: false, description: "Categories to create or re-price before the rows use them",
                items: .object(properties: [
                    "name": .string, "base_price_minor": .minor(), "display_order": .integer(required: false),
                ])),
            "rows": .array(
                items: .object(properties: [
                    "label": .string(pattern: "^[A-Z]{1,3}$"),
                    "category": .string(description: "Name of a category of this screen or of `categories`"),
                    "seats": .integer(maximum: (60, exclusive: false), minimum: (1, exclusive: false)),
                    "aisles_after": numbers,
                    "wheelchair": numbers,
                    "companion": numbers,
                    "blocked": numbers,
                ])),
            "replace": .boolean(required: false, description: "Replace an existing grid"),
        ])
    }
}
