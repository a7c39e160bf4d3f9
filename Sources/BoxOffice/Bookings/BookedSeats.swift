import Fluent
import Foundation

/// The seats of a show that pending (still within their payment window) or confirmed bookings own: one query.
enum BookedSeats {
    static func ids(showID: UUID, now: Date, on db: any Database) async throws -> Set<UUID> {
        Set(try await owners(showID: showID, now: now, on: db).keys)
    }

    /// The same seats with the user whose booking owns each: one query serves the seat check and the per-user cap.
    static func owners(showID: UUID, now: Date, on db: any Database) async throws -> [UUID: UUID] {
        let rows = try await BookingSeat.query(on: db)
            .join(Booking.self, on: \BookingSeat.$booking.$id == \Booking.$id)
            .filter(\BookingSeat.$showID == showID)
            .filter(\BookingSeat.$isActive == true)
            .group(.or) { group in
                group.filter(Booking.self, \.$status == .confirmed).filter(Booking.self, \.$paymentDueBy > now)
            }
            .all()
        var owners: [UUID: UUID] = [:]
        for row in rows { owners[row.$seat.id] = try row.joined(Booking.self).$user.id }
        return owners
    }
}
