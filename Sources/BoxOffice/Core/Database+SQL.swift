import Fluent
import SQLKit

/// The database is not an SQL database: `configure` refuses to start, so no query meets it later.
struct NotAnSQLDatabase: Error, CustomStringConvertible {
    var description: String { "BoxOffice needs an SQL database (SQLite or PostgreSQL)" }
}

extension Database {
    /// This database as SQL, for the conditional updates and raw statements Fluent cannot express.
    func sql() throws -> any SQLDatabase {
        guard let sql = self as? any SQLDatabase else { throw NotAnSQLDatabase() }
        return sql
    }
}
