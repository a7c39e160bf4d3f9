import Fluent
import Foundation

enum PaymentStatus: String, Codable, Sendable, CaseIterable {
    case pending = "PENDING"
    case completed = "COMPLETED"
    case failed = "FAILED"
}

enum PaymentMethod: String, Codable, Sendable, CaseIterable {
    case card, upi, wallet
}

/// One attempt to pay a booking's exact total through a gateway. `refunded_minor` always equals the sum
/// of its refunds.
final class Payment: Model, @unchecked Sendable {
    static let schema = "payments"

    @ID(key: .id) var id: UUID?
    @Parent(key: "booking_id") var booking: Booking
    @Parent(key: "user_id") var user: User
    @Field(key: "amount_minor") var amountMinor: Int
    @Field(key: "currency") var currency: String
    @Field(key: "method") var method: PaymentMethod
    @Field(key: "gateway") var gateway: String
    @Field(key: "gateway_payment_id") var gatewayPaymentID: String
    @Field(key: "status") var status: PaymentStatus
    @Field(key: "refunded_minor") var refundedMinor: Int
    @OptionalField(key: "failure_reason") var failureReason: String?
    @OptionalField(key: "completed_at") var completedAt: Date?
    @Field(key: "created_at") var createdAt: Date
    @Field(key: "updated_at") var updatedAt: Date

    init() {}
}

enum RefundStatus: String, Codable, Sendable, CaseIterable {
    /// Recorded and counted in `refunded_minor`; the gateway has not accepted it yet.
    case pending = "PENDING"
    case completed = "COMPLETED"
}

/// One refund in the ledger: an intent written with the change that causes it, sent to the gateway afterwards
/// (and again, with backoff, until the gateway accepts it).
final class Refund: Model, @unchecked Sendable {
    static let schema = "refunds"

    @ID(key: .id) var id: UUID?
    @Parent(key: "payment_id") var payment: Payment
    @Field(key: "amount_minor") var amountMinor: Int
    @Field(key: "reason") var reason: String
    @Field(key: "actor") var actor: BookingActor
    @OptionalField(key: "actor_id") var actorID: UUID?
    @OptionalField(key: "gateway_refund_id") var gatewayRefundID: String?
    @Field(key: "status") var status: RefundStatus
    @Field(key: "attempts") var attempts: Int
    @OptionalField(key: "next_attempt_at") var nextAttemptAt: Date?
    @OptionalField(key: "last_error") var lastError: String?
    @OptionalField(key: "completed_at") var completedAt: Date?
    @Field(key: "created_at") var createdAt: Date

    init() {}
}

/// A gateway event already applied; stored in the same transaction as its effect, so it applies once.
final class PaymentEvent: Model, @unchecked Sendable {
    static let schema = "payment_events"

    @ID(key: .id) var id: UUID?
    @Field(key: "event_id") var eventID: String
    @Field(key: "type") var type: String
    @OptionalField(key: "payment_id") var paymentID: UUID?
    @Field(key: "received_at") var receivedAt: Date

    init() {}
}
