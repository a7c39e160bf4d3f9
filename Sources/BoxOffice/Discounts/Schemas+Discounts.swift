import OpenAPIKit

extension JSONSchema {
    static func discountFields(required: Bool) -> OrderedDictionary<String, JSONSchema> {
        [
            "promo_code": .string(
                required: required, description: "Letters, digits, - or _; stored upper-cased",
                minLength: 3, maxLength: 30),
            "description": .string(required: false, maxLength: 500),
            "discount_type": .enumeration(DiscountType.self, required: required),
            "percent": .percent(required: false),
            "max_discount_minor": .minor("Percent type: the most taken off", required: false),
            "flat_amount_minor": .minor("Flat type: the amount taken off", required: false),
            "min_subtotal_minor": .minor("Smallest subtotal the code applies to (default 0)", required: false),
            "starts_at": .string(format: .dateTime, required: false, description: "Valid from (inclusive)"),
            "ends_at": .string(format: .dateTime, required: false, description: "Valid until (exclusive)"),
            "is_active": .boolean(required: false),
            "usage_limit_total": .integer(required: false, minimum: (1, exclusive: false)),
            "usage_limit_per_user": .integer(required: false, minimum: (1, exclusive: false)),
            "movie_id": .string(format: .uuid, required: false, description: "Only this movie's shows"),
            "show_id": .string(format: .uuid, required: false, description: "Only this show (not with movie_id)"),
        ]
    }
}

extension CreateDiscountRequest: APISchema {
    static var apiSchema: JSONSchema {
        .object(properties: JSONSchema.discountFields(required: true))
    }
}

extension UpdateDiscountRequest: APISchema {
    static var apiSchema: JSONSchema {
        .object(
            description: "Only the fields sent change; a new discount_type drops the old type's amounts",
            properties: JSONSchema.discountFields(required: false))
    }
}

extension DiscountResponse: APISchema {
    static var apiSchema: JSONSchema {
        var fields = JSONSchema.discountFields(required: true)
        fields["id"] = .uuid
        fields["min_subtotal_minor"] = .minor()
        fields["is_active"] = .boolean
        fields["times_used"] = .integer(description: "Completed redemptions")
        fields["created_at"] = .nullableTimestamp
        fields["updated_at"] = .nullableTimestamp
        return .object(properties: fields)
    }
}

extension ValidateDiscountRequest: APISchema {
    static var apiSchema: JSONSchema {
        .object(properties: [
            "code": .string(description: "The promo code, any case", minLength: 1, maxLength: 30),
            "show_id": .uuid,
            "subtotal_minor": .minor("Seats plus food, before discount and GST"),
        ])
    }
}

extension DiscountValidationResponse: APISchema {
    static var apiSchema: JSONSchema {
        .object(
            description: "Refusals are 409 problems whose code is the reason: inactive, not_started, expired, "
                + "not_applicable, below_min_subtotal, usage_exhausted; an unknown code is 422 invalid_code",
            properties: [
                "code": .string,
                "discount_type": .enumeration(DiscountType.self),
                "discount_minor": .minor(),
                "subtotal_minor": .minor(),
                "total_after_discount_minor": .minor(),
            ])
    }
}
