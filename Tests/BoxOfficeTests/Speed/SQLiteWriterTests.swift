import Fluent
import Foundation
import SQLKit
import Testing

@testable import BoxOffice

/// SQLite's one writer (issue 26): every write goes through the app's gate onto the writer connections, while reads
/// keep their own. A read is not held up by an open write transaction, and a write outside a transaction waits for
/// its turn instead of failing or spinning.
@Suite("SQLite: one writer")
struct SQLiteWriterTests {
    @Test func readsRunBesideAnOpenWriteAndWritesTakeTurns() async throws {
        try await withTestApp { t in
            guard let db = t.app.db as? SQLiteWriterDatabase else { return }  // PostgreSQL: nothing to check
            let sql: any SQLDatabase = db
            try await sql.raw("CREATE TABLE writer_probe (n INTEGER NOT NULL)").run()
            let (inside, insideDone) = AsyncStream.makeStream(of: Void.self)
            let (release, releaseDone) = AsyncStream.makeStream(of: Void.self)

            let transaction = Task {
                try await db.writeTransaction { tx in
                    try await tx.sql().raw("INSERT INTO writer_probe (n) VALUES (1)").run()
                    insideDone.yield()
                    for await _ in release { break }
                }
            }
            for await _ in inside { break }

            // A read while the transaction holds the write lock: it answers, from the last commit.
            let seen = try await db.readTransaction { tx in
                try await tx.sql().raw("SELECT COUNT(*) AS c FROM writer_probe").first(decoding: Count.self)?.c
            }
            #expect(seen == 0)

            // A write outside any transaction queues behind it and lands after it.
            let outside = Task { try await sql.raw("INSERT INTO writer_probe (n) VALUES (2)").run() }
            releaseDone.yield()
            try await transaction.value
            try await outside.value
            let order = try await sql.raw("SELECT n FROM writer_probe ORDER BY rowid").all(decoding: Row.self).map(\.n)
            #expect(order == [1, 2])
        }
    }

    /// Group commit: writes that queue while another runs share the next commit, each in a savepoint of its own, so
    /// the one that fails (a statement or a whole transaction) leaves nothing behind and the others still land.
    @Test func queuedWritesShareOneCommitAndAFailureIsRolledBackAlone() async throws {
        try await withTestApp { t in
            guard let db = t.app.db as? SQLiteWriterDatabase else { return }  // PostgreSQL: nothing to check
            let sql: any SQLDatabase = db
            try await sql.raw("CREATE TABLE writer_probe (n INTEGER NOT NULL UNIQUE)").run()
            let (inside, insideDone) = AsyncStream.makeStream(of: Void.self)
            let (release, releaseDone) = AsyncStream.makeStream(of: Void.self)
            let first = Task {
                try await db.writeTransaction { tx in
                    try await tx.sql().raw("INSERT INTO writer_probe (n) VALUES (1)").run()
                    insideDone.yield()
                    for await _ in release { break }
                }
            }
            for await _ in inside { break }
            let batchesBefore = db.gate.batches

            // Four writes queue behind it, in this order.
            let second = Task { try await sql.raw("INSERT INTO writer_probe (n) VALUES (2)").run() }
            try await waitForQueue(db.gate, 1)
            let duplicate = Task { try await sql.raw("INSERT INTO writer_probe (n) VALUES (1)").run() }
            try await waitForQueue(db.gate, 2)
            let failedTransaction = Task {
                try await db.writeTransaction { tx in
                    try await tx.sql().raw("INSERT INTO writer_probe (n) VALUES (40)").run()
                    throw Abandoned()
                }
            }
            try await waitForQueue(db.gate, 3)
            let third = Task {
                try await db.writeTransaction { tx in
                    try await tx.sql().raw("INSERT INTO writer_probe (n) VALUES (3)").run()
                }
            }
            try await waitForQueue(db.gate, 4)
            releaseDone.yield()

            try await first.value
            try await second.value
            await #expect(throws: (any Error).self) { try await duplicate.value }
            await #expect(throws: Abandoned.self) { try await failedTransaction.value }
            try await third.value
            // The first ran alone; the four behind it in one batch, so one commit.
            #expect(db.gate.batches == batchesBefore + 1)
            let rows = try await sql.raw("SELECT n FROM writer_probe ORDER BY rowid").all(decoding: Row.self).map(\.n)
            #expect(rows == [1, 2, 3])
        }
    }

    private struct Abandoned: Error {}

    private func waitForQueue(_ gate: WriteGate, _ count: Int) async throws {
        for _ in 0..<2000 where gate.waiting < count { try await Task.sleep(for: .milliseconds(1)) }
        #expect(gate.waiting >= count)
    }

    private struct Count: Decodable { var c: Int }
    private struct Row: Decodable { var n: Int }
}
