import Fluent

struct CreateBookingFood: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(BookingFood.schema)
            .id()
            .field("booking_id", .uuid, .required, .references(Booking.schema, "id", onDelete: .cascade))
            .field("food_item_id", .uuid, .required, .references(FoodItem.schema, "id", onDelete: .restrict))
            .field("name", .string, .required)
            .field("quantity", .int, .required)
            .field("unit_price_minor", .int64, .required)
            .field("discount_minor", .int64, .required)
            .field("cgst_bp", .int, .required)
            .field("sgst_bp", .int, .required)
            .field("cgst_minor", .int64, .required)
            .field("sgst_minor", .int64, .required)
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(BookingFood.schema).delete()
    }
}
