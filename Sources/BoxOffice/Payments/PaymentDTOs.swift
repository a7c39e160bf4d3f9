import Vapor

struct CreatePaymentRequest: Content {
    var bookingId: UUID
    var method: PaymentMethod
}

struct SimulatePaymentRequest: Content {
    enum Outcome: String, Codable { case succeeded, failed }
    var outcome: Outcome
}

struct RefundRequest: Content {
    var amountMinor: Int?
    var reason: String
}

struct PaymentResponse: Content {
    var paymentId: UUID
    var bookingId: UUID
    var userId: UUID
    var status: PaymentStatus
    var amountMinor: Int
    var refundedMinor: Int
    var currency: String
    var method: PaymentMethod
    var gateway: String
    var checkout: [String: String]?
    var refunds: [RefundLine]?
    var createdAt: Date
    var completedAt: Date?

    struct RefundLine: Content {
        var id: UUID
        var amountMinor: Int
        var reason: String
        var actor: BookingActor
        /// PENDING until the gateway accepts it; retried with backoff meanwhile.
        var status: RefundStatus
        var attempts: Int
        var createdAt: Date
        var completedAt: Date?
    }

    init(_ payment: Payment, checkout: [String: String]? = nil, refunds: [Refund]? = nil) throws {
        paymentId = try payment.requireID()
        bookingId = payment.$booking.id
        userId = payment.$user.id
        status = payment.status
        amountMinor = payment.amountMinor
        refundedMinor = payment.refundedMinor
        currency = payment.currency
        method = payment.method
        gateway = payment.gateway
        self.checkout = checkout
        self.refunds = try refunds?.map {
            RefundLine(
                id: try $0.requireID(), amountMinor: $0.amountMinor, reason: $0.reason, actor: $0.actor,
                status: $0.status,
                attempts: $0.attempts, createdAt: $0.createdAt, completedAt: $0.completedAt)
        }
        createdAt = payment.createdAt
        completedAt = payment.completedAt
    }
}

/// What the gateway sends to `POST /payments/webhook`.
struct GatewayEvent: Codable, Sendable, Equatable {
    var id: String
    var type: String
    var data: DataObject

    struct DataObject: Codable, Sendable, Equatable {
        var gatewayPaymentId: String
        var amountMinor: Int
        var currency: String
        var failureReason: String?
    }
}

struct WebhookAck: Content {
    var received: Bool
    var duplicate: Bool
}

/// Razorpay Checkout's answer to a successful payment.
struct ConfirmPaymentRequest: Content {
    var razorpayPaymentId: String
    var razorpayOrderId: String
    var razorpaySignature: String
}
