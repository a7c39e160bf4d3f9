import Fluent
import SQLKit

extension Database {
    /// A transaction that writes. On SQLite, write transactions take turns through one gate first: SQLite has one
    /// writer at a time, and in WAL mode a transaction whose snapshot another writer overtook fails at once with
    /// SQLITE_BUSY (its busy handler cannot help), which under a rush of bookings answered 503s. PostgreSQL runs them
    /// side by side, guarded by its own locks and constraints. One process serves one SQLite file, so one gate per
    /// process is the whole truth; a transaction opened inside another one is already through.
    func writeTransaction<T: Sendable>(_ work: @escaping @Sendable (any Database) async throws -> T) async throws -> T {
        guard !inTransaction, (self as? any SQLDatabase)?.dialect.name == "sqlite" else {
            return try await transaction(work)
        }
        await WriteGate.sqlite.enter()
        do {
            let result = try await transaction(work)
            await WriteGate.sqlite.leave()
            return result
        } catch {
            await WriteGate.sqlite.leave()
            throw error
        }
    }
}

/// First come, first served: one holder at a time.
actor WriteGate {
    static let sqlite = WriteGate()
    private var held = false
    private var waiting: [CheckedContinuation<Void, Never>] = []

    func enter() async {
        guard held else {
            held = true
            return
        }
        await withCheckedContinuation { waiting.append($0) }
    }

    func leave() {
        if waiting.isEmpty {
            held = false
        } else {
            waiting.removeFirst().resume()
        }
    }
}
