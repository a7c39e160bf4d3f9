import OpenAPIKit

extension CreatePaymentRequest: APISchema {
    static var apiSchema: JSONSchema {
        .object(properties: ["booking_id": .uuid, "method": .enumeration(PaymentMethod.self)])
    }
}

extension SimulatePaymentRequest: APISchema {
    static var apiSchema: JSONSchema {
        .object(properties: ["outcome": .string(allowedValues: "succeeded", "failed")])
    }
}

extension RefundRequest: APISchema {
    static var apiSchema: JSONSchema {
        .object(properties: [
            "amount_minor": .integer(
                required: false, description: "Default: everything not yet refunded",
                minimum: (1, exclusive: false)),
            "reason": .string(minLength: 1, maxLength: 500),
        ])
    }
}

extension PaymentResponse: APISchema {
    static var apiSchema: JSONSchema {
        .object(properties: [
            "payment_id": .uuid, "booking_id": .uuid, "user_id": .uuid,
            "status": .enumeration(PaymentStatus.self),
            "amount_minor": .minor("The booking's exact total"),
            "refunded_minor": .minor("Always the sum of the refunds"),
            "currency": .string(allowedValues: "INR"),
            "method": .enumeration(PaymentMethod.self),
            "gateway": .string,
            "checkout": .object(
                required: false, description: "What the client needs to pay, from the gateway",
                additionalProperties: .init(.string)),
            "refunds": .array(
                required: false,
                items: .object(properties: [
                    "id": .uuid, "amount_minor": .minor(), "reason": .string,
                    "actor": .string(allowedValues: "user", "admin", "system", "payment"),
                    "status": .string(
                        description: "PENDING until the gateway accepts it (retried with backoff), then COMPLETED",
                        allowedValues: "PENDING", "COMPLETED"),
                    "attempts": .integer(
                        description: "Calls made to the gateway so far", minimum: (0, exclusive: false)),
                    "created_at": .timestamp, "completed_at": .nullableTimestamp,
                ])),
            "created_at": .timestamp,
            "completed_at": .nullableTimestamp,
        ])
    }
}

extension GatewayEvent: APISchema {
    static var apiSchema: JSONSchema {
        .object(properties: [
            "id": .string(description: "Event id; each is applied once"),
            "type": .string(allowedValues: "payment.succeeded", "payment.failed", "refund.succeeded"),
            "data": .object(properties: [
                "gateway_payment_id": .string, "amount_minor": .minor(), "currency": .string,
                "failure_reason": .string(required: false),
            ]),
        ])
    }
}

extension WebhookAck: APISchema {
    static var apiSchema: JSONSchema {
        .object(properties: ["received": .boolean, "duplicate": .boolean(description: "The event was already applied")])
    }
}

extension ConfirmPaymentRequest: APISchema {
    static var apiSchema: JSONSchema {
        .object(properties: [
            "razorpay_payment_id": .string(maxLength: 64),
            "razorpay_order_id": .string(maxLength: 64),
            "razorpay_signature": .string(maxLength: 128),
        ])
    }
}
