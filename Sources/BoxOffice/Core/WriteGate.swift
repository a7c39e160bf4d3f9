import Fluent
import Foundation
import NIOConcurrencyHelpers
import NIOCore
import NIOPosix
import SQLKit

/// SQLite's one writer: a queue of writes, a thread of its own, and group commit.
///
/// Writes run one at a time, first come first served, on one connection. The profile of the write path showed where a
/// write's time went: not into SQLite, but into waiting for a turn on a busy thread after each statement (a statement
/// goes to a thread-pool thread and comes back on an event loop, and the code after it waits in Swift's task pool
/// behind every request in flight), about 1.5 ms a write while the writer held the lock. So the writer has an event
/// loop and a thread for SQLite's calls of its own, and the batch runs with that loop as its task executor: between
/// two statements of a write nothing else runs there.
///
/// Group commit: writes that arrive while a batch runs wait and then run together, one after another in one
/// transaction (`BEGIN` … `COMMIT`), each block in a savepoint of its own, so one that fails is rolled back alone and
/// the others go on (a single statement needs none: SQLite undoes a failed statement by itself). Every write of a batch is answered only after the `COMMIT` returned, so nothing is answered before
/// it is durable; if the `COMMIT` fails, every write of the batch fails with it. A single statement that finds the
/// queue empty runs on its own, as it would without the gate.
final class WriteGate: Sendable {
    enum Kind: Sendable {
        /// One statement: alone it commits by itself.
        case statement
        /// A block that expects a transaction: in a batch it gets a savepoint, alone a transaction of its own.
        case transaction
        /// Runs in no transaction and in no batch (a PRAGMA a transaction would refuse).
        case alone
    }

    /// At most this many writes share a commit, so one batch does not hold the readers' snapshot back for long.
    static let maxBatch = 32

    /// The writer's event loop (its connection lives there) and the thread SQLite's calls block.
    let loop: any EventLoop
    private let group: MultiThreadedEventLoopGroup
    private let threadPool: NIOThreadPool
    private let executor: EventLoopTaskExecutor
    /// Where the writer's connection pool is made (one loop, so one connection).
    let databases: Databases

    private struct Job: Sendable {
        let kind: Kind
        /// This write's database on the writer connection.
        let database: @Sendable () -> any Database
        /// Runs the write; returns whether it succeeded (its outcome is kept for `finish`).
        let run: @Sendable (any Database) async -> Bool
        /// Answers the caller: with its own outcome, or with the commit's error when the commit failed.
        let finish: @Sendable ((any Error)?) -> Void
    }

    private struct State {
        var queue: [Job] = []
        var draining = false
        var batches = 0
    }

    private let state = NIOLockedValueBox(State())

    init() {
        group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        loop = group.next()
        threadPool = NIOThreadPool(numberOfThreads: 1)
        threadPool.start()
        executor = EventLoopTaskExecutor(loop)
        databases = Databases(threadPool: threadPool, on: group)
    }

    /// Batches run so far, and writes waiting for theirs (the group-commit test reads them).
    var batches: Int { state.withLockedValue { $0.batches } }
    var waiting: Int { state.withLockedValue { $0.queue.count } }

    func submit<T: Sendable>(
        _ kind: Kind, on database: @escaping @Sendable () -> any Database,
        _ work: @escaping @Sendable (any Database) async throws -> T
    ) async throws -> T {
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<T, any Error>) in
            let outcome = NIOLockedValueBox<Result<T, any Error>?>(nil)
            let job = Job(
                kind: kind, database: database,
                run: { db in
                    do {
                        let value = try await work(db)
                        outcome.withLockedValue { $0 = .success(value) }
                        return true
                    } catch {
                        outcome.withLockedValue { $0 = .failure(error) }
                        return false
                    }
                },
                finish: { commitError in
                    switch outcome.withLockedValue({ $0 }) {
                    case .failure(let error)?: continuation.resume(throwing: error)
                    case .success(let value)?:
                        if let commitError {
                            continuation.resume(throwing: commitError)
                        } else {
                            continuation.resume(returning: value)
                        }
                    case nil: continuation.resume(throwing: commitError ?? CancellationError())
                    }
                })
            let starts = state.withLockedValue { state in
                state.queue.append(job)
                defer { state.draining = true }
                return !state.draining
            }
            if starts { Task(executorPreference: executor) { await self.drain() } }
        }
    }

    /// The next batch: the writes waiting at the head of the queue (at most `maxBatch`), or one that runs alone.
    private func next() -> [Job] {
        state.withLockedValue { state in
            guard let first = state.queue.first else {
                state.draining = false
                return []
            }
            let count =
                first.kind == .alone ? 1 : max(1, state.queue.prefix(Self.maxBatch).prefix { $0.kind != .alone }.count)
            let batch = Array(state.queue.prefix(count))
            state.queue.removeFirst(count)
            state.batches += 1
            return batch
        }
    }

    private func drain() async {
        while true {
            let batch = next()
            if batch.isEmpty { return }
            await Self.run(batch)
        }
    }

    private static func run(_ batch: [Job]) async {
        let first = batch[0]
        if batch.count == 1 && first.kind != .transaction {
            _ = await first.run(first.database())
            first.finish(nil)
            return
        }
        // One connection: these statements and every job's run on it, in this order.
        let connection = first.database()
        let sql = connection as! any SQLDatabase
        func execute(_ statement: String) async throws {
            try await sql.execute(sql: SQLRaw(statement)) { _ in }.get()
        }
        do {
            try await execute("BEGIN")
            do {
                if batch.count == 1 {
                    if !(await first.run(InTransactionDatabase(first.database()))) {
                        try await execute("ROLLBACK")
                        first.finish(nil)
                        return
                    }
                } else {
                    // A marker: while it can be released, the transaction is still open.
                    try await execute("SAVEPOINT batch")
                    for (index, job) in batch.enumerated() {
                        let db = InTransactionDatabase(job.database())
                        if job.kind == .statement {
                            // A statement that fails is undone by SQLite alone, and the transaction stays open (no
                            // constraint of ours says ROLLBACK). Should an error have rolled back the whole
                            // transaction, the marker is gone, releasing it fails, and so does the batch.
                            if !(await job.run(db)) {
                                try await execute("RELEASE batch")
                                try await execute("SAVEPOINT batch")
                            }
                            continue
                        }
                        try await execute("SAVEPOINT w\(index)")
                        if !(await job.run(db)) {
                            try await execute("ROLLBACK TO w\(index)")
                        }
                        try await execute("RELEASE w\(index)")
                    }
                }
                try await execute("COMMIT")
            } catch {
                try? await execute("ROLLBACK")
                throw error
            }
            batch.forEach { $0.finish(nil) }
        } catch {
            batch.forEach { $0.finish(error) }
        }
    }

    func shutdown() {
        try? threadPool.syncShutdownGracefully()
        try? group.syncShutdownGracefully()
    }

    func shutdownAsync() async {
        try? await threadPool.shutdownGracefully()
        try? await group.shutdownGracefully()
    }
}

/// Runs a task's jobs on one event loop: the writer's, so a write's code and its statements' answers stay on the
/// writer's thread.
private final class EventLoopTaskExecutor: TaskExecutor {
    let loop: any EventLoop

    init(_ loop: any EventLoop) {
        self.loop = loop
    }

    func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        loop.execute { job.runSynchronously(on: self.asUnownedTaskExecutor()) }
    }
}

/// The writer's database inside the gate's open transaction: a block that asks for a transaction runs in it (its
/// savepoint is the gate's), and everything else goes to the writer as is.
private struct InTransactionDatabase: Database, SQLDatabase {
    let base: any Database
    private var baseSQL: any SQLDatabase { base as! any SQLDatabase }

    init(_ base: any Database) {
        self.base = base
    }

    var context: DatabaseContext { base.context }
    var inTransaction: Bool { true }

    func execute(query: DatabaseQuery, onOutput: @escaping @Sendable (any DatabaseOutput) -> Void) -> EventLoopFuture<
        Void
    > {
        base.execute(query: query, onOutput: onOutput)
    }

    func execute(schema: DatabaseSchema) -> EventLoopFuture<Void> { base.execute(schema: schema) }
    func execute(enum: DatabaseEnum) -> EventLoopFuture<Void> { base.execute(enum: `enum`) }

    func transaction<T: Sendable>(_ closure: @escaping @Sendable (any Database) -> EventLoopFuture<T>)
        -> EventLoopFuture<T>
    {
        closure(self)
    }

    func withConnection<T: Sendable>(_ closure: @escaping @Sendable (any Database) -> EventLoopFuture<T>)
        -> EventLoopFuture<T>
    {
        closure(self)
    }

    var logger: Logger { base.logger }
    var eventLoop: any EventLoop { base.eventLoop }
    var dialect: any SQLDialect { baseSQL.dialect }
    var version: (any SQLDatabaseReportedVersion)? { baseSQL.version }
    var queryLogLevel: Logger.Level? { baseSQL.queryLogLevel }

    func execute(sql query: any SQLExpression, _ onRow: @escaping @Sendable (any SQLRow) -> Void) -> EventLoopFuture<
        Void
    > {
        baseSQL.execute(sql: query, onRow)
    }
}
