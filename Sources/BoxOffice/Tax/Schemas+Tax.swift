import OpenAPIKit

extension CreateGSTRateRequest: APISchema {
    static var apiSchema: JSONSchema {
        .object(
            description: "Price bounds are inclusive; a missing bound is open",
            properties: [
                "category": .string(
                    description: "ticket, or a food category's gst_category (stored lower-cased)",
                    minLength: 1, maxLength: 50),
                "cgst": .percent(),
                "sgst": .percent(),
                "min_price_minor": .minor("Lowest undiscounted unit price of the slab, inclusive", required: false),
                "max_price_minor": .minor("Highest undiscounted unit price of the slab, inclusive", required: false),
            ])
    }
}

extension GSTRateResponse: APISchema {
    static var apiSchema: JSONSchema {
        .object(properties: [
            "id": .uuid,
            "category": .string,
            "cgst": .percent(),
            "sgst": .percent(),
            "min_price_minor": .minor(required: false),
            "max_price_minor": .minor(required: false),
            "created_at": .nullableTimestamp,
            "updated_at": .nullableTimestamp,
        ])
    }
}
