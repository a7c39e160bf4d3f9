import Fluent
import SQLKit
import Foundation

/// An event waiting to be delivered: written in the transaction of the change it describes, so it exists
/// exactly when the change committed.
final class OutboxMessage: Model, @unchecked Sendable {
    static let schema = "outbox"

    @ID(key: .id) var id: UUID?
    @Field(key: "kind") var kind: String
    @Field(key: "payload") var payload: String
    @Field(key: "created_at") var createdAt: Date
    /// When the relay may (next) take it: a relay claims a message by moving this past a lease.
    @Field(key: "available_at") var availableAt: Date
    @Field(key: "attempts") var attempts: Int
    @OptionalField(key: "delivered_at") var deliveredAt: Date?

    init() {}
}

extension OutboxMessage: InsertableRow {
    static let columns = ["id", "kind", "payload", "created_at", "available_at", "attempts", "delivered_at"]

    func markStored() { $id.exists = true }

    var values: [any SQLExpression] {
        [
            bindOrNull(id), SQLBind(kind), SQLBind(payload), SQLBind(createdAt), SQLBind(availableAt),
            SQLBind(attempts), bindOrNull(deliveredAt),
        ]
    }
}
