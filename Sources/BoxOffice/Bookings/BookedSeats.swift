import Fluent
import Foundation
import Rules
import PostgresKit
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
        var owners: [UUID: UUID] = [:]
        var validUntil: Date?
        for row in try await rows(showID: showID, on: db) {
            switch BookingStatus(rawValue: row.status) {
            case .confirmed:
                break
            case .pending where row.dueBy > now:
                validUntil = min(validUntil ?? row.dueBy, row.dueBy)
            default:
                continue
            }
            owners[row.seatID] = row.userID
        }
        return (owners, validUntil)
    }

    private typealias Row = (seatID: UUID, userID: UUID, status: String, dueBy: Date)

    /// The active booking seats of the show with their booking's user, status and payment deadline.
    ///
    /// On PostgreSQL the SQL text is written once and the four columns are decoded by type through PostgresNIO: in the
    /// rush's profile (BENCHMARKS.md, run H) SQLKit's per-column decode here was 6.1 % of the server's CPU, most of it
    /// looking each column's type up by its mangled name, and building the statement again another share.
    private static func rows(showID: UUID, on db: any Database) async throws -> [Row] {
        if let postgres = db as? any PostgresDatabase {
            var binds = PostgresBindings(capacity: 1)
            binds.append(showID)
            let query = PostgresQuery(unsafeSQL: postgresSQL, binds: binds)
            let result = try await postgres.withConnection { $0.query(query, logger: db.logger) }.get()
            return try result.rows.map { try $0.decode((UUID, UUID, String, Date).self) }
        }
        return try await db.sql()
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
            .map {
                try (
                    $0.decode(column: "seat_id", as: UUID.self), $0.decode(column: "user_id", as: UUID.self),
                    $0.decode(column: "status", as: String.self), $0.decode(column: "payment_due_by", as: Date.self)
                )
            }
    }

    /// The PostgreSQL text of the SQLKit query above (the same columns in the same order).
    private static let postgresSQL = """
        SELECT s.seat_id, b.user_id, b.status, b.payment_due_by
        FROM \(BookingSeat.schema) s JOIN \(Booking.schema) b ON s.booking_id = b.id
        WHERE s.show_id = $1 AND s.is_active = true
        """
}
