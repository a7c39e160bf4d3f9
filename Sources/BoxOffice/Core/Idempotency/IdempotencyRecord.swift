import Fluent
import SQLKit
import Foundation

/// The first response to an `Idempotency-Key`, so a retry gets it again instead of a second booking.
/// A row without a status code is a request still running.
final class IdempotencyRecord: Model, @unchecked Sendable {
    static let schema = "idempotency_records"

    @ID(key: .id) var id: UUID?
    @Field(key: "user_id") var userID: UUID
    @Field(key: "scope") var scope: String
    @Field(key: "key") var key: String
    @Field(key: "request_hash") var requestHash: String
    @OptionalField(key: "status_code") var statusCode: Int?
    @OptionalField(key: "response_body") var responseBody: String?
    @Field(key: "created_at") var createdAt: Date

    init() {}
}

extension IdempotencyRecord: InsertableRow {
    static let columns = [
        "id", "user_id", "scope", "key", "request_hash", "status_code", "response_body", "created_at",
    ]

    func markStored() { $id.exists = true }

    var values: [any SQLExpression] {
        [
            bindOrNull(id), SQLBind(userID), SQLBind(scope), SQLBind(key), SQLBind(requestHash),
            bindOrNull(statusCode), bindOrNull(responseBody), SQLBind(createdAt),
        ]
    }
}
