import Fluent
import NIOConcurrencyHelpers
import Vapor

/// Work that runs every `interval` (plus up to `jitter`, so instances do not run in lockstep) while the server runs.
///
/// One loop per job: a run never overlaps the previous one. A failed run is logged and the job goes on. On
/// shutdown the loop is cancelled and awaited, so no run touches a database that is shutting down.
final class PeriodicJob: LifecycleHandler, Sendable {
    let name: String
    let interval: Duration
    let jitter: Duration
    private let work: @Sendable (any Database) async throws -> Void
    private let task = NIOLockedValueBox<Task<Void, Never>?>(nil)

    init(
        _ name: String, every interval: Duration, jitter: Duration = .zero,
        _ work: @escaping @Sendable (any Database) async throws -> Void
    ) {
        self.name = name
        self.interval = interval
        self.jitter = jitter
        self.work = work
    }

    func didBootAsync(_ application: Application) async throws {
        let db = application.db
        let logger = application.logger
        let (name, interval, jitter, work) = (self.name, self.interval, self.jitter, self.work)
        let loop = Task {
            while !Task.isCancelled {
                let spread = jitter > .zero ? Duration.milliseconds(Int64.random(in: 0...jitter.milliseconds)) : .zero
                try? await Task.sleep(for: interval + spread)
                if Task.isCancelled { break }
                do {
                    try await work(db)
                } catch {
                    logger.warning(
                        "job failed", metadata: ["job": .string(name), "error": "\(String(reflecting: error))"])
                }
            }
        }
        task.withLockedValue { $0 = loop }
    }

    func shutdownAsync(_ application: Application) async {
        let loop = task.withLockedValue { current in
            defer { current = nil }
            return current
        }
        loop?.cancel()
        await loop?.value
    }
}

extension Duration {
    /// Whole milliseconds, at least 0.
    var milliseconds: Int64 {
        max(0, components.seconds * 1000 + components.attoseconds / 1_000_000_000_000_000)
    }
}
