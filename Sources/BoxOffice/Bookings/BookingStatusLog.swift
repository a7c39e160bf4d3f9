import Fluent
import SQLKit
import Foundation
import Rules

enum BookingActor: String, Codable, Sendable {
    case user, admin, system, payment
}

/// Every status change of a booking: from, to, who, why, when.
final class BookingStatusLog: Model, @unchecked Sendable {
    static let schema = "booking_status_logs"

    @ID(key: .id) var id: UUID?
    @Parent(key: "booking_id") var booking: Booking
    @OptionalField(key: "from_status") var fromStatus: BookingStatus?
    @Field(key: "to_status") var toStatus: BookingStatus
    @Field(key: "actor") var actor: BookingActor
    @OptionalField(key: "actor_id") var actorID: UUID?
    @Field(key: "reason") var reason: String
    @Field(key: "created_at") var createdAt: Date

    init() {}

    init(
        bookingID: UUID, from: BookingStatus?, to: BookingStatus, actor: BookingActor, actorID: UUID?, reason: String,
        at: Date
    ) {
        self.$booking.id = bookingID
        self.fromStatus = from
        self.toStatus = to
        self.actor = actor
        self.actorID = actorID
        self.reason = reason
        self.createdAt = at
    }
}

extension BookingStatusLog: InsertableRow {
    static let columns = ["id", "booking_id", "from_status", "to_status", "actor", "actor_id", "reason", "created_at"]

    func markStored() { $id.exists = true }

    var values: [any SQLExpression] {
        [
            bindOrNull(id), SQLBind($booking.id), bindOrNull(fromStatus), SQLBind(toStatus), SQLBind(actor),
            bindOrNull(actorID), SQLBind(reason), SQLBind(createdAt),
        ]
    }
}
