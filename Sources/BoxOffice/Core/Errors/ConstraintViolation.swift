import FluentPostgresDriver
import FluentSQLiteDriver

/// Which constraint a failed write violated, read from the driver's error (never from its text as a whole):
/// PostgreSQL names the constraint; SQLite names the table and columns of a unique index
/// (`booking_seats.show_id, booking_seats.seat_id`).
struct ConstraintViolation: Sendable, Equatable {
    let name: String

    init?(_ error: any Error) {
        if let error = error as? PSQLError, error.isConstraintFailure, let name = error.serverInfo?[.constraintName] {
            self.name = name
        } else if let error = error as? SQLiteError, error.isConstraintFailure,
            let range = error.message.range(of: "constraint failed: ")
        {
            self.name = String(error.message[range.upperBound...])
        } else {
            return nil
        }
    }

    /// Whether this is the unique constraint `constraint` (PostgreSQL) on `columns` of `table` (SQLite).
    func isUnique(_ constraint: String, on table: String, _ columns: String...) -> Bool {
        name == constraint || name == columns.map { "\(table).\($0)" }.joined(separator: ", ")
    }
}
