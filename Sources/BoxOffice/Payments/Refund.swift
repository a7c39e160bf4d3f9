import Fluent
import Foundation

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
