import Fluent
import Foundation
import NIOConcurrencyHelpers
import SQLKit
import SQLiteNIO

/// Every table's rows as JSON objects, read in one transaction, and written back in one.
///
/// Rows are read as the database stores them (SQLite's UUID text, REAL seconds and JSON text; PostgreSQL's
/// `row_to_json`), and each value is converted to the *target* column's type when written, so a backup taken on
/// SQLite restores into PostgreSQL and back.
enum TableData {
    typealias Row = [String: AuditJSON]

    /// A consistent snapshot: every table read in one read transaction (repeatable read on PostgreSQL; one WAL
    /// snapshot on SQLite), parents first.
    static func read(_ db: any Database) async throws -> (
        catalog: TableCatalog, migrations: [String], rows: [String: [Row]]
    ) {
        try await db.readTransaction { tx in
            let sql = try tx.sql()
            if sql.dialect.name != "sqlite" {
                try await sql.raw("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY").run()
            }
            let catalog = try await TableCatalog.read(tx)
            let migrations = try await TableCatalog.appliedMigrations(tx)
            var rows: [String: [Row]] = [:]
            for table in catalog.tables {
                let ordered = catalog.columns[table]?.contains { $0.name == "id" } == true
                rows[table] = try await readRows(table, ordered: ordered, on: tx, postgres: catalog.isPostgres)
            }
            return (catalog, migrations, rows)
        }
    }

    private static func readRows(_ table: String, ordered: Bool, on db: any Database, postgres: Bool) async throws
        -> [Row]
    {
        let order = ordered ? " ORDER BY t.id" : ""
        if postgres {
            let sql = try db.sql()
            return try await sql.raw(
                "SELECT row_to_json(t)::text AS j FROM \(ident: table) AS t\(unsafeRaw: order)"
            ).all().map { row in
                let text = try row.decode(column: "j", as: String.self)
                guard case .object(let object)? = AuditJSON.parse(Data(text.utf8)) else {
                    throw BackupError.invalidArchive("A row of \(table) could not be read as JSON.")
                }
                return object
            }
        }
        // SQLite's own rows, so each value comes as the database stores it.
        guard let sqlite = db as? any SQLiteDatabase else { throw BackupError.schema("Unexpected SQLite database.") }
        let quoted = "\"" + table.replacingOccurrences(of: "\"", with: "\"\"") + "\""
        let collected = NIOLockedValueBox<[Row]>([])
        try await sqlite.query("SELECT * FROM \(quoted) AS t\(order)", [], logger: sqlite.logger) { row in
            var object: Row = [:]
            for column in row.columns {
                switch column.data {
                case .integer(let value): object[column.name] = .int(Int(value))
                case .float(let value): object[column.name] = .double(value)
                case .text(let value): object[column.name] = .string(value)
                case .blob(let buffer):
                    object[column.name] = .string(Data(buffer.readableBytesView).base64EncodedString())
                case .null: object[column.name] = .null
                }
            }
            collected.withLockedValue { $0.append(object) }
        }.get()
        return collected.withLockedValue { $0 }
    }

    /// Replaces every table's rows with `rows`, in `tx` (a transaction the caller opened): children emptied first,
    /// then parents filled first. An append-only table (`TableCatalog.appendOnly`) is not emptied: only its rows whose
    /// `id` it lacks are added. A row the database refuses throws, and the caller's transaction rolls back. Returns
    /// the rows written.
    static func replace(_ rows: [String: [Row]], catalog: TableCatalog, on tx: any Database) async throws -> Int {
        let sql = try tx.sql()
        for table in catalog.tables.reversed() where !TableCatalog.appendOnly.contains(table) {
            try await sql.raw("DELETE FROM \(ident: table)").run()
        }
        var written = 0
        for table in catalog.tables {
            let columns = catalog.columns[table] ?? []
            let tableRows = rows[table] ?? []
            if TableCatalog.appendOnly.contains(table) {
                written += try await merge(tableRows, into: table, columns: columns, catalog: catalog, on: sql)
                continue
            }
            try await insert(tableRows, into: table, columns: columns, catalog: catalog, on: sql)
            written += tableRows.count
        }
        return written
    }

    /// Adds the rows whose `id` the table lacks; rows already there are left as they are.
    private static func merge(
        _ rows: [Row], into table: String, columns: [TableCatalog.Column], catalog: TableCatalog,
        on sql: any SQLDatabase
    ) async throws -> Int {
        func count() async throws -> Int {
            try await sql.raw("SELECT COUNT(*) AS n FROM \(ident: table)").first()?.decode(column: "n", as: Int.self)
                ?? 0
        }
        let before = try await count()
        try await insert(rows, into: table, columns: columns, catalog: catalog, ignoringExisting: true, on: sql)
        return try await count() - before
    }

    private static func insert(
        _ tableRows: [Row], into table: String, columns: [TableCatalog.Column], catalog: TableCatalog,
        ignoringExisting: Bool = false, on sql: any SQLDatabase
    ) async throws {
        if catalog.isPostgres {
            // PostgreSQL turns each JSON object into a row of the table's own type, column by column.
            for batch in stride(from: 0, to: tableRows.count, by: 1000) {
                let slice = tableRows[batch..<min(batch + 1000, tableRows.count)].map { row in
                    AuditJSON.object(
                        Dictionary(
                            uniqueKeysWithValues: columns.map { column in
                                (
                                    column.name,
                                    ValueConversion.forPostgres(row[column.name] ?? .null, type: column.type)
                                )
                            }))
                }
                try await sql.raw(
                    """
                    INSERT INTO \(ident: table) SELECT * FROM json_populate_recordset(NULL::\(ident: table), \
                    \(bind: AuditJSON.array(slice).encoded)::json)\(unsafeRaw: ignoringExisting ? onConflict : "")
                    """
                ).run()
            }
        } else {
            // SQLite takes at most 32,766 bound values per statement.
            let perStatement = max(1, 30_000 / max(1, columns.count))
            for batch in stride(from: 0, to: tableRows.count, by: perStatement) {
                var insert = sql.insert(into: table).columns(columns.map(\.name))
                for row in tableRows[batch..<min(batch + perStatement, tableRows.count)] {
                    insert = insert.values(
                        columns.map { ValueConversion.forSQLite(row[$0.name] ?? .null, type: $0.type) })
                }
                if ignoringExisting { insert = insert.ignoringConflicts(with: "id") }
                try await insert.run()
            }
        }
    }

    private static let onConflict = " ON CONFLICT (id) DO NOTHING"
}
