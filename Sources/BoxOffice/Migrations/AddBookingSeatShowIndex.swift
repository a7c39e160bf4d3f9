import Fluent
import SQLKit

/// The seat map and the hold check read a show's active booking seats. The partial unique index cannot serve that
/// query (its `is_active` is a bound parameter, not the literal the index names), so it scanned every booking seat.
struct AddBookingSeatShowIndex: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.sql().create(index: "ix_booking_seats_show").on(BookingSeat.schema).column("show_id").run()
    }

    func revert(on database: any Database) async throws {
        try await database.sql().drop(index: "ix_booking_seats_show").run()
    }
}
