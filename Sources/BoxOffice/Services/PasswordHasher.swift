import NIOPosix
import Vapor

/// bcrypt, run on the thread pool so hashing never blocks an event loop.
struct PasswordHasher: Sendable {
    let cost: Int
    let threadPool: NIOThreadPool
    /// A real hash at this cost: checking an unknown email against it takes as long as a real check,
    /// so response time does not tell which emails have accounts.
    private let dummyHash: String

    init(cost: Int, threadPool: NIOThreadPool) throws {
        self.cost = cost
        self.threadPool = threadPool
        self.dummyHash = try Bcrypt.hash("boxoffice-timing-equaliser", cost: cost)
    }

    func hash(_ password: String) async throws -> String {
        let cost = self.cost
        return try await threadPool.runIfActive { try Bcrypt.hash(password, cost: cost) }
    }

    func verify(_ password: String, against hash: String) async throws -> Bool {
        try await threadPool.runIfActive { try Bcrypt.verify(password, created: hash) }
    }

    func verifyAgainstDummy(_ password: String) async {
        _ = try? await verify(password, against: dummyHash)
    }
}
