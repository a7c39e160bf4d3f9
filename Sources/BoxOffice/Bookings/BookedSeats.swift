import Fluent
import Foundation

/// The seats of a show that pending (still within their payment window) or confirmed bookings own: one query.
enum BookedSeats {
    /// How many seats of the show active bookings (pending or confirmed) hold.
    static func count(showID: UUID, on db: any Database) async throws -> Int {
        try await BookingSeat.query(on: db).filter(\.$showID == showID).filter(\.$isActive == true).count()
    }

    /// Seat → the user whose booking owns it (for the seat check and the per-user cap), and when the earliest pending
    /// booking among them runs out of time (after which the answer is stale).
    static func owners(showID: UUID, now: Date, on db: any Database) async throws -> (
        owners: [UUID: UUID], validUntil: Date?
    ) {
        let rows = try await BookingSeat.query(on: db)
            .join(Booking.self, on: \BookingSeat.$booking.$id == \Booking.$id)
            .filter(\BookingSeat.$showID == showID)
            .filter(\BookingSeat.$isActive == true)
            .all()
        var owners: [UUID: UUID] = [:]
        var validUntil: Date?
        for row in rows {
            let booking = try row.joined(Booking.self)
            switch booking.status {
            case .confirmed:
                owners[row.$seat.id] = booking.$user.id
            case .pending where booking.paymentDueBy > now:
                owners[row.$seat.id] = booking.$user.id
                validUntil = min(validUntil ?? booking.paymentDueBy, booking.paymentDueBy)
            default:
                continue
            }
        }
        return (owners, validUntil)
    }
}
