import Fluent
import Foundation

/// The seats of a show that pending (still within their payment window) or confirmed bookings own: one query.
enum BookedSeats {
    static func ids(showID: UUID, now: Date, on db: any Database) async throws -> Set<UUID> {
        let rows = try await BookingSeat.query(on: db)
            .join(Booking.self, on: \BookingSeat.$booking.$id == \Booking.$id)
            .filter(\BookingSeat.$showID == showID)
            .filter(\BookingSeat.$isActive == true)
            .group(.or) { group in
                group.filter(Booking.self, \.$status == .confirmed).filter(Booking.self, \.$paymentDueBy > now)
            }
            .all()
        return Set(rows.map { $0.$seat.id })
    }

    /// How many seats of a show one user's pending (within their window) and confirmed bookings own.
    static func count(showID: UUID, userID: UUID, now: Date, on db: any Database) async throws -> Int {
        try await BookingSeat.query(on: db)
            .join(Booking.self, on: \BookingSeat.$booking.$id == \Booking.$id)
            .filter(\BookingSeat.$showID == showID)
            .filter(\BookingSeat.$isActive == true)
            .filter(Booking.self, \.$user.$id == userID)
            .group(.or) { group in
                group.filter(Booking.self, \.$status == .confirmed).filter(Booking.self, \.$paymentDueBy > now)
            }
            .count()
    }
}
