import Fluent
import SQLKit

/// The tables the database holds right now, read from its own catalog (so tables added by later migrations are
/// included without edits), with their columns' declared types and the order that respects foreign keys.
struct TableCatalog: Sendable, Equatable {
    struct Column: Sendable, Equatable, Codable {
        var name: String
        /// As the database declares it: `UUID`, `REAL`, `JSON` on SQLite; `uuid`, `timestamp with time zone`,
        /// `ARRAY`, `jsonb` on PostgreSQL. Restores convert each value to the target's column type.
        var type: String
    }

    /// Parents before children: inserting in this order, and deleting in reverse, never breaks a foreign key.
    var tables: [String]
    var columns: [String: [Column]]
    var isPostgres: Bool

    /// Never part of a backup's data: the schema's own bookkeeping, and the backup and restore records.
    static let excluded: Set<String> = ["_fluent_migrations", BackupRecord.schema, RestoreRecord.schema]

    /// In every backup, but never replaced by a restore: the rows a restore brings that the table lacks are added,
    /// and rows already there are kept as they are. The audit trail stays append-only across restores (a restore
    /// must not erase who did what after the backup was taken), and still moves with the data to a new database.
    static let appendOnly: Set<String> = [AuditLog.schema]

    static func read(_ db: any Database) async throws -> TableCatalog {
        let sql = try db.sql()
        let isPostgres = sql.dialect.name != "sqlite"
        var columns: [String: [Column]] = [:]
        var parents: [String: Set<String>] = [:]
        if isPostgres {
            let names = try await sql.raw(
                """
                SELECT table_name::text AS t FROM information_schema.tables
                WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'
                """
            ).all().map { try $0.decode(column: "t", as: String.self) }
            for name in names where !excluded.contains(name) { columns[name] = [] }
            for row in try await sql.raw(
                """
                SELECT table_name::text AS t, column_name::text AS c, data_type::text AS d
                FROM information_schema.columns WHERE table_schema = current_schema()
                ORDER BY table_name, ordinal_position
                """
            ).all() {
                let table = try row.decode(column: "t", as: String.self)
                guard columns[table] != nil else { continue }
                columns[table]?.append(
                    Column(
                        name: try row.decode(column: "c", as: String.self),
                        type: try row.decode(column: "d", as: String.self)))
            }
            for row in try await sql.raw(
                """
                SELECT c.relname::text AS child, p.relname::text AS parent FROM pg_constraint k
                JOIN pg_class c ON c.oid = k.conrelid JOIN pg_class p ON p.oid = k.confrelid
                JOIN pg_namespace n ON n.oid = c.relnamespace
                WHERE k.contype = 'f' AND n.nspname = current_schema()
                """
            ).all() {
                parents[try row.decode(column: "child", as: String.self), default: []].insert(
                    try row.decode(column: "parent", as: String.self))
            }
        } else {
            let names = try await sql.raw(
                "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
            ).all().map { try $0.decode(column: "name", as: String.self) }
            // The table-valued forms of the PRAGMAs: they are SELECTs, so they check the connection's copy of the
            // schema against the file (a bare PRAGMA can answer from a copy loaded before the migrations ran).
            for name in names where !excluded.contains(name) {
                columns[name] = try await sql.raw("SELECT name, type FROM pragma_table_info(\(bind: name))").all().map {
                    Column(
                        name: try $0.decode(column: "name", as: String.self),
                        type: try $0.decode(column: "type", as: String.self))
                }
                parents[name] = Set(
                    try await sql.raw("SELECT \"table\" FROM pragma_foreign_key_list(\(bind: name))").all().map {
                        try $0.decode(column: "table", as: String.self)
                    })
            }
        }
        return TableCatalog(
            tables: try Self.parentsFirst(Array(columns.keys), parents: parents), columns: columns,
            isPostgres: isPostgres)
    }

    /// The names of the applied migrations, in the order they ran.
    static func appliedMigrations(_ db: any Database) async throws -> [String] {
        try await db.sql().raw("SELECT name FROM _fluent_migrations ORDER BY batch, created_at, name").all()
            .map { try $0.decode(column: "name", as: String.self) }
    }

    /// Tables ordered so each comes after every table it references (ties by name, so the order is stable).
    static func parentsFirst(_ tables: [String], parents: [String: Set<String>]) throws -> [String] {
        var placed: [String] = []
        var done = Set<String>()
        var remaining = Set(tables)
        while !remaining.isEmpty {
            let ready = remaining.filter { table in
                (parents[table] ?? []).allSatisfy { $0 == table || done.contains($0) || !remaining.contains($0) }
            }.sorted()
            guard !ready.isEmpty else { throw BackupError.schema("The foreign keys between tables form a cycle.") }
            placed += ready
            done.formUnion(ready)
            remaining.subtract(ready)
        }
        return placed
    }
}
