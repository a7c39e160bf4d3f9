import OpenAPIKit

extension ExchangeRequest: APISchema {
    static var apiSchema: JSONSchema {
        .object(properties: [
            "lock_id": .string(
                format: .uuid, description: "Your live hold on the new show (or on other seats of the same show)"),
            "foods": .array(
                required: false,
                description: "Left out: the booking's food moves with it as bought. Given (even empty): replaces it, "
                    + "at today's prices and stock",
                maxItems: 20,
                items: .object(properties: [
                    "food_id": .uuid,
                    "quantity": .integer(maximum: (20, exclusive: false), minimum: (1, exclusive: false)),
                ])),
        ])
    }
}

extension ExchangeResponse: APISchema {
    static var apiSchema: JSONSchema {
        .object(properties: [
            "exchange_id": .uuid,
            "status": .enumeration(ExchangeStatus.self),
            "from_show_id": .uuid,
            "to_show_id": .uuid,
            "old_total_minor": .minor(),
            "new_total_minor": .minor(),
            "fee_minor": .minor("EXCHANGE_FEE_MINOR, in paise"),
            "difference_minor": .integer(
                format: .int64,
                description:
                    "New total + fee − old total: positive is to pay with POST /payments, negative was refunded"),
            "refund_minor": .minor("Refunded now (a cheaper exchange)"),
            "due_by": .string(
                format: .dateTime, required: false, nullable: true,
                description: "AWAITING_PAYMENT: pay the difference before this, or nothing changes"),
            "booking": .reference(.component(named: "BookingResponse")),
        ])
    }
}
