import NIOConcurrencyHelpers
import NIOPosix
import Vapor

/// bcrypt on a thread pool of its own with a bounded queue, so hashing never blocks an event loop and
/// never makes database work (SQLite runs on the app's thread pool) wait behind a burst of signups.
/// Past `maxPending` hashes waiting or running, the caller gets a 503 with `Retry-After` at once.
struct PasswordHasher: Sendable {
    let cost: Int
    let maxPending: Int
    private let pool: NIOThreadPool
    private let pending: NIOLockedValueBox<Int>
    /// A real hash at this cost: checking an unknown email against it takes as long as a real check,
    /// so response time does not tell which emails have accounts.
    private let dummyHash: String

    init(cost: Int, pool: NIOThreadPool, maxPending: Int = 32) throws {
        self.cost = cost
        self.pool = pool
        self.maxPending = maxPending
        self.pending = NIOLockedValueBox(0)
        self.dummyHash = try Bcrypt.hash("boxoffice-timing-equaliser", cost: cost)
    }

    /// A started pool for hashing: one thread per core but one, at least one.
    static func makePool() -> NIOThreadPool {
        let pool = NIOThreadPool(numberOfThreads: max(1, System.coreCount - 1))
        pool.start()
        return pool
    }

    func hash(_ password: String) async throws -> String {
        let cost = self.cost
        return try await run { try Bcrypt.hash(password, cost: cost) }
    }

    func verify(_ password: String, against hash: String) async throws -> Bool {
        try await run { try Bcrypt.verify(password, created: hash) }
    }

    func verifyAgainstDummy(_ password: String) async throws {
        _ = try await verify(password, against: dummyHash)
    }

    private func run<T: Sendable>(_ work: @escaping @Sendable () throws -> T) async throws -> T {
        let admitted = pending.withLockedValue { count in
            guard count < maxPending else { return false }
            count += 1
            return true
        }
        guard admitted else {
            throw APIError.serviceUnavailable(
                "The server is busy checking passwords; try again shortly.", retryAfter: 2)
        }
        defer { pending.withLockedValue { $0 -= 1 } }
        return try await pool.runIfActive(work)
    }
}

/// Stops the hashing pool when the app shuts down.
struct PasswordPoolShutdown: LifecycleHandler {
    let pool: NIOThreadPool

    func shutdownAsync(_ application: Application) async {
        try? await pool.shutdownGracefully()
    }
}
