import Fluent
import Foundation
import NIOConcurrencyHelpers
import SQLKit

extension Database {
    /// A transaction that writes. On SQLite every write already goes through the app's one writer (see
    /// `SQLiteWriterConfiguration`), so this is `transaction`; the name says what the block does.
    func writeTransaction<T: Sendable>(_ work: @escaping @Sendable (any Database) async throws -> T) async throws -> T {
        if let gated = self as? SQLiteWriterDatabase { return try await gated.writeTransaction(work) }
        // Already inside one (the gate's batch, or a caller's transaction): SQLite's transactions do not nest.
        if inTransaction { return try await work(self) }
        return try await transaction(work)
    }

    /// A transaction that only reads: one consistent snapshot. On SQLite it runs on a reader connection, beside the
    /// writer, instead of queueing behind it (WAL mode gives the reader a snapshot of its own).
    func readTransaction<T: Sendable>(_ work: @escaping @Sendable (any Database) async throws -> T) async throws -> T {
        if let gated = self as? SQLiteWriterDatabase { return try await gated.readers.transaction(work) }
        return try await transaction(work)
    }
}

/// SQLite with one writer. SQLite takes one writer at a time, and its connections wait for the write lock by spinning
/// on a thread (sqlite-nio's busy handler retries at once) while a transaction that another writer overtook fails
/// with SQLITE_BUSY: under a rush of bookings the spinning took the threads every statement needs, and the write path
/// sold about 50 purchases a second. So every write of the app goes through one gate, first come first served, onto
/// connections that only write: transactions, and single statements outside one (Fluent creates, updates and deletes,
/// and SQL that is not a `SELECT`). No connection ever waits on the lock, and reads keep their own connections, which
/// a long write transaction no longer occupies; in WAL mode they read beside the writer.
///
/// The writer has a thread of its own (an event loop and a thread for SQLite's calls, see `WriteGate`), so a write's
/// statements do not queue behind the requests the app's event loops and Swift's task pool are busy with.
///
/// The gate belongs to the app's database configuration (one app serves one SQLite file), so two apps in one process
/// do not queue behind each other.
struct SQLiteWriterConfiguration: DatabaseConfiguration {
    /// Connections for reads.
    var readers: any DatabaseConfiguration
    /// The connection for writes: the same file, one connection on the gate's own thread.
    let writers: any DatabaseConfiguration
    let gate = WriteGate()

    var middleware: [any AnyModelMiddleware] {
        get { readers.middleware }
        set { readers.middleware = newValue }
    }

    func makeDriver(for databases: Databases) -> any DatabaseDriver {
        SQLiteWriterDriver(
            readers: readers.makeDriver(for: databases), writers: writers.makeDriver(for: gate.databases), gate: gate)
    }
}

private struct SQLiteWriterDriver: DatabaseDriver {
    let readers: any DatabaseDriver
    let writers: any DatabaseDriver
    let gate: WriteGate

    func makeDatabase(with context: DatabaseContext) -> any Database {
        SQLiteWriterDatabase(
            readers: readers.makeDatabase(with: context), writers: writers, gate: gate, context: context)
    }

    func shutdown() {
        readers.shutdown()
        writers.shutdown()
        gate.shutdown()
    }

    func shutdownAsync() async {
        await readers.shutdownAsync()
        await writers.shutdownAsync()
        await gate.shutdownAsync()
    }
}

/// What a request's `db` is on SQLite: reads go to the reader connections; every write waits for the gate and runs
/// on a writer connection. Inside a transaction the block gets the writer's own database, so everything it does is
/// on the one connection that holds the lock.
struct SQLiteWriterDatabase: Database, SQLDatabase {
    let readers: any Database
    let writers: any DatabaseDriver
    let gate: WriteGate
    let context: DatabaseContext

    private var readerSQL: any SQLDatabase { readers as! any SQLDatabase }

    /// Waits for the gate's next group commit and runs there (see `WriteGate`).
    private func write<T: Sendable>(
        _ kind: WriteGate.Kind = .statement, _ work: @escaping @Sendable (any Database) async throws -> T
    ) -> EventLoopFuture<T> {
        let (gate, context) = (gate, context)
        return context.eventLoop.makeFutureWithTask { try await gate.submit(kind, on: writerDatabase, work) }
    }

    /// A transaction on the writer: in the gate's batch, on its thread.
    func writeTransaction<T: Sendable>(_ work: @escaping @Sendable (any Database) async throws -> T) async throws -> T {
        try await gate.submit(.transaction, on: writerDatabase, work)
    }

    /// The writer connection's database for this request's context, on the gate's event loop.
    private var writerDatabase: @Sendable () -> any Database {
        let (writers, context, loop) = (writers, context, gate.loop)
        return {
            writers.makeDatabase(
                with: DatabaseContext(
                    configuration: context.configuration, logger: context.logger, eventLoop: loop,
                    history: context.history, pageSizeLimit: context.pageSizeLimit, shouldTrace: context.shouldTrace))
        }
    }

    // Database

    func execute(query: DatabaseQuery, onOutput: @escaping @Sendable (any DatabaseOutput) -> Void) -> EventLoopFuture<
        Void
    > {
        switch query.action {
        case .read, .aggregate: return readers.execute(query: query, onOutput: onOutput)
        default: return write { try await $0.execute(query: query, onOutput: onOutput).get() }
        }
    }

    func execute(schema: DatabaseSchema) -> EventLoopFuture<Void> {
        write { try await $0.execute(schema: schema).get() }
    }

    func execute(enum: DatabaseEnum) -> EventLoopFuture<Void> {
        readers.execute(enum: `enum`)
    }

    var inTransaction: Bool { false }

    func transaction<T: Sendable>(_ closure: @escaping @Sendable (any Database) -> EventLoopFuture<T>)
        -> EventLoopFuture<T>
    {
        write(.transaction) { writer in try await writer.transaction(closure).get() }
    }

    func withConnection<T: Sendable>(_ closure: @escaping @Sendable (any Database) -> EventLoopFuture<T>)
        -> EventLoopFuture<T>
    {
        closure(self)
    }

    // SQLDatabase

    var logger: Logger { context.logger }
    var eventLoop: any EventLoop { context.eventLoop }
    var dialect: any SQLDialect { readerSQL.dialect }
    var version: (any SQLDatabaseReportedVersion)? { readerSQL.version }
    var queryLogLevel: Logger.Level? { readerSQL.queryLogLevel }

    func execute(sql query: any SQLExpression, _ onRow: @escaping @Sendable (any SQLRow) -> Void) -> EventLoopFuture<
        Void
    > {
        switch kind(of: query) {
        case .read: return readerSQL.execute(sql: query, onRow)
        case .write: return write { try await $0.sql().execute(sql: query, onRow) }
        case .pragma: return write(.alone) { try await $0.sql().execute(sql: query, onRow) }
        }
    }

    private enum Kind { case read, write, pragma }

    /// `SELECT`s read; a `PRAGMA` writes alone; anything else (updates, inserts, deletes, DDL, `WITH`) writes.
    private func kind(of query: any SQLExpression) -> Kind {
        if query is SQLSelect || query is SQLUnion { return .read }
        var serializer = SQLSerializer(database: self)
        query.serialize(to: &serializer)
        let head = serializer.sql.drop { $0 == " " || $0 == "\n" || $0 == "(" }.prefix(6).uppercased()
        return head == "SELECT" ? .read : head == "PRAGMA" ? .pragma : .write
    }
}
