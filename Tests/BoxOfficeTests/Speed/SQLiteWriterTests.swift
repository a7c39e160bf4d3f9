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
            let sql = try #require(db as any SQLDatabase)
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

    private struct Count: Decodable { var c: Int }
    private struct Row: Decodable { var n: Int }
}
