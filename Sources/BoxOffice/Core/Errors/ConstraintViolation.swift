import FluentKit
import FluentPostgresDriver
import FluentSQLiteDriver

/// Which constraint a failed write violated, read from the driver's error (never from its text as a whole).
///
/// PostgreSQL names the constraint (`uq_users_email`, or `shows_movie_id_fkey` for an unnamed foreign key).
/// SQLite names the table and columns of a unique index (`booking_seats.show_id, booking_seats.seat_id`), a named
/// CHECK constraint, and nothing at all for a foreign key (`FOREIGN KEY constraint failed`).
/// `Constraint` maps each of ours to the one error it becomes.
struct ConstraintViolation: Sendable, Equatable {
    enum Kind: Sendable, Equatable {
        case unique, foreignKey, other
    }

    let kind: Kind
    /// The constraint's name (PostgreSQL), the unique index's `table.column` list (SQLite), or nil when the driver
    /// names nothing (a foreign key on SQLite).
    let name: String?

    init(kind: Kind, name: String?) {
        self.kind = kind
        self.name = name
    }

    /// Nil unless `error` is a database's constraint failure.
    init?(_ error: any Error) {
        guard let failure = error as? any DatabaseError, failure.isConstraintFailure else { return nil }
        if let error = failure as? PSQLError {
            self.init(postgresState: error.serverInfo?[.sqlState], constraint: error.serverInfo?[.constraintName])
        } else if let error = failure as? SQLiteError {
            self.init(sqliteReason: error.reason, message: error.message)
        } else {
            self.init(kind: .other, name: nil)
        }
    }

    /// SQLSTATE 23505 is unique_violation and 23503 foreign_key_violation.
    init(postgresState state: String?, constraint: String?) {
        switch state {
        case "23505": self.init(kind: .unique, name: constraint)
        case "23503": self.init(kind: .foreignKey, name: constraint)
        default: self.init(kind: .other, name: constraint)
        }
    }

    /// `UNIQUE constraint failed: seats.screen_id, seats.label`, `CHECK constraint failed: ck_name`,
    /// `FOREIGN KEY constraint failed`. SQLite reports a foreign key that refuses a statement with the extended code
    /// of a trigger (it checks them with one), so that code is told from a trigger's own `RAISE` by its fixed
    /// message; it keeps the foreign-key code for a deferred key failing at commit.
    init(sqliteReason reason: SQLiteError.Reason, message: String) {
        let name = message.range(of: "constraint failed: ").map { String(message[$0.upperBound...]) }
        switch reason {
        case .constraintUniqueFailed, .constraintPrimaryKeyFailed:
            self.init(kind: .unique, name: name)
        case .constraintForeignKeyFailed:
            self.init(kind: .foreignKey, name: name)
        case .constraintTriggerFailed where message == Self.foreignKeyMessageOfSQLite:
            self.init(kind: .foreignKey, name: nil)
        default:
            self.init(kind: .other, name: name)
        }
    }

    static let foreignKeyMessageOfSQLite = "FOREIGN KEY constraint failed"

    /// Whether this is a violation of `constraint`. A foreign-key failure on SQLite names no constraint, so it
    /// counts as a violation of whichever foreign key the caller expects: callers list only the foreign keys their
    /// own write can break (a delete, the keys that refer to the deleted row).
    func violates(_ constraint: Constraint) -> Bool {
        guard kind == constraint.kind else { return false }
        switch name {
        case constraint.rawValue: return true
        case nil: return kind == .foreignKey
        case let name?: return kind == .unique && name == constraint.sqliteColumns
        }
    }

    /// The first of `expected` this violates.
    func constraint(among expected: [Constraint]) -> Constraint? {
        expected.first(where: violates)
    }

}
