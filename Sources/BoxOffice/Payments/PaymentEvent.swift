import Fluent
import Foundation

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
