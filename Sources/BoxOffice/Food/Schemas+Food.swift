import OpenAPIKit

extension CreateFoodCategoryRequest: APISchema {
    static var apiSchema: JSONSchema {
        .object(properties: [
            "name": .string(description: "Unique, ignoring case", minLength: 1, maxLength: 100),
            "gst_category": .string(
                description: "The /gst category its items are taxed under, e.g. food",
                minLength: 1, maxLength: 50),
        ])
    }
}

extension FoodCategoryResponse: APISchema {
    static var apiSchema: JSONSchema {
        .object(properties: [
            "id": .uuid, "name": .string, "gst_category": .string,
            "created_at": .nullableTimestamp, "updated_at": .nullableTimestamp,
        ])
    }
}

extension JSONSchema {
    static func foodItemFields(required: Bool) -> OrderedDictionary<String, JSONSchema> {
        [
            "name": .string(required: required, minLength: 1, maxLength: 100),
            "description": .string(required: false, maxLength: 1000),
            "price_minor": .minor(required: required),
            "category_id": .string(format: .uuid, required: required),
            "is_veg": .boolean(required: required),
            "is_available": .boolean(required: false, description: "Default true"),
            "image_url": .imageURL(),
            "stock": .integer(
                required: false, description: "Units left; absent = not tracked",
                maximum: (1_000_000, exclusive: false), minimum: (0, exclusive: false)),
        ]
    }
}

extension CreateFoodItemRequest: APISchema {
    static var apiSchema: JSONSchema { .object(properties: JSONSchema.foodItemFields(required: true)) }
}

extension UpdateFoodItemRequest: APISchema {
    static var apiSchema: JSONSchema {
        .object(description: "Only the fields sent change", properties: JSONSchema.foodItemFields(required: false))
    }
}

extension FoodItemResponse: APISchema {
    static var apiSchema: JSONSchema {
        var fields = JSONSchema.foodItemFields(required: true)
        fields["id"] = .uuid
        fields["description"] = .string
        fields["is_available"] = .boolean
        fields["image_url"] = .string(required: false, nullable: true)
        fields["created_at"] = .nullableTimestamp
        fields["updated_at"] = .nullableTimestamp
        return .object(properties: fields)
    }
}
