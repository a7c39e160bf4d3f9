import Fluent

extension Database {
    /// A transaction that writes. On SQLite, write transactions take turns through one gate first: SQLite has one
    /// writer at a time, and in WAL mode a transaction whose snapshot another writer overtook fails at once with
    /// SQLITE_BUSY (its busy handler cannot help), which under a rush of bookings answered 503s. PostgreSQL runs them
    /// side by side, guarded by its own locks and constraints. The gate belongs to the app's database configuration
    /// (one app serves one SQLite file), so two apps in one process do not queue behind each other; a transaction
    /// opened inside another one is already through.
    func writeTransaction<T: Sendable>(_ work: @escaping @Sendable (any Database) async throws -> T) async throws -> T {
        guard !inTransaction, let gate = (context.configuration as? WriteGatedConfiguration)?.gate else {
            return try await transaction(work)
        }
        await gate.enter()
        do {
            let result = try await transaction(work)
            await gate.leave()
            return result
        } catch {
            await gate.leave()
            throw error
        }
    }
}

/// A database configuration with the write gate of its app: every `Database` Fluent makes from it carries the
/// configuration in its context, which is how `writeTransaction` finds the gate without a global.
struct WriteGatedConfiguration: DatabaseConfiguration {
    var base: any DatabaseConfiguration
    let gate = WriteGate()

    var middleware: [any AnyModelMiddleware] {
        get { base.middleware }
        set { base.middleware = newValue }
    }

    func makeDriver(for databases: Databases) -> any DatabaseDriver {
        base.makeDriver(for: databases)
    }
}

/// First come, first served: one holder at a time.
actor WriteGate {
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
