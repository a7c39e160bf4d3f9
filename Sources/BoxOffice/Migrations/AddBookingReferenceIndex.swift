import Fluent
import SQLKit

/// `GET /bookings?reference=` (the staff page's refund search) finds a booking by its ticket reference without
/// reading every booking.
struct AddBookingReferenceIndex: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.sql().create(index: "ix_bookings_reference").on(Booking.schema).column("reference").run()
    }

    func revert(on database: any Database) async throws {
        try await database.sql().drop(index: "ix_bookings_reference").run()
    }
}
