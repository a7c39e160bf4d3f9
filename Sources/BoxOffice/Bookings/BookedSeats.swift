import Fluent
import Foundation
import Rules
import SQLKit

/// The seats of a show that pending (still within their payment window) or confirmed bookings own: one query.
enum BookedSeats {
    /// How many seats of the show active bookings (pending or confirmed) hold.
    static func count(showID: UUID, on db: any Database) async throws -> Int {
        try await BookingSeat.query(on: db).filter(\.$showID == showID).filter(\.$isActive == true).count()
    }

    /// Seat → the user whose booking owns it (for the seat check and the per-user cap), and when the earliest pending
    /// booking among them runs out of time (after which the answer is stale).
    ///
    /// Four columns a row through SQLKit, not two Fluent models: every booking moves the show's seat version, and
    /// the next seat map, hold or queue poll reloads this. In the 10,000-customer rush on PostgreSQL, decoding the
    /// joined `BookingSeat` and `Booking` models here was 37 % of the server's CPU (`perf`, `Fields.output(from:)`).
    static func owners(showID: UUID, now: Date, on db: any Database) async throws -> (
        owners: [UUID: UUID], validUntil: Date?
    ) {
        let rows = try await db.sql()
            .select()
            .column(SQLColumn("seat_id", table: BookingSeat.schema))
            .column(SQLColumn("user_id", table: Booking.schema))
            .column(SQLColumn("status", table: Booking.schema))
            .column(SQLColumn("payment_due_by", table: Booking.schema))
            .from(BookingSeat.schema)
            .join(
                Booking.schema, on: SQLColumn("booking_id", table: BookingSeat.schema), .equal,
                SQLColumn("id", table: Booking.schema)
            )
            .where(SQLColumn("show_id", table: BookingSeat.schema), .equal, SQLBind(showID))
            .where(SQLColumn("is_active", table: BookingSeat.schema), .equal, SQLBind(true))
            .all()
        var owners: [UUID: UUID] = [:]
        var validUntil: Date?
        for row in rows {
            let status = BookingStatus(rawValue: try row.decode(column: "status", as: String.self))
            let dueBy = try row.decode(column: "payment_due_by", as: Date.self)
            switch status {
            case .confirmed:
                break
            case .pending where dueBy > now:
                validUntil = min(validUntil ?? dueBy, dueBy)
            default:
                continue
            }
            owners[try row.decode(column: "seat_id", as: UUID.self)] = try row.decode(column: "user_id", as: UUID.self)
        }
        return (owners, validUntil)
    }
}
