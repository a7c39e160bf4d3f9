import Fluent
import SQLKit

/// A booking remembers the hold it was made from, and a hold makes at most one booking. Found by the reliability
/// suite: a server killed after a booking committed but before it answered left the retry (same hold, same
/// Idempotency-Key) a 409, while the booking kept its seats. Now the retry gets that booking.
struct AddBookingHoldID: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(Booking.schema).field("hold_id", .uuid).update()
        // NULLs (bookings from before this migration) never collide in a unique index, on SQLite or PostgreSQL.
        try await database.sql().create(index: "uq_bookings_hold").unique().on(Booking.schema).column("hold_id").run()
    }

    func revert(on database: any Database) async throws {
        try await database.sql().drop(index: "uq_bookings_hold").run()
        try await database.schema(Booking.schema).deleteField("hold_id").update()
    }
}
