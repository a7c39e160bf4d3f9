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
    /// Set when the payment is an exchange's difference: its success swaps the booking instead of confirming it.
    @OptionalField(key: "exchange_id") var exchangeID: UUID?

    init() {}
}
