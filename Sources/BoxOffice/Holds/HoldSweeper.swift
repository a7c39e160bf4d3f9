import RESP
import Vapor

/// Sweeps expired holds once a minute while the server runs. Holds already vanish on their own
/// (lazily in process, by `PX` in Redis); this bounds memory and keeps the active-holds gauge fresh.
final class HoldSweeper: LifecycleHandler, @unchecked Sendable {
    private let holds: HoldService
    private var task: Task<Void, Never>?

    init(holds: HoldService) {
        self.holds = holds
    }

    func didBootAsync(_ application: Application) async throws {
        let holds = self.holds
        let logger = application.logger
        task = Task {
            while !Task.isCancelled {
                try? await Task.sleep(for: .seconds(60))
                if Task.isCancelled { break }  // shutting down: the database may already be gone
                do {
                    _ = try await holds.sweep()
                } catch {
                    logger.warning("hold sweep failed", metadata: ["error": "\(error)"])
                }
            }
        }
    }

    func shutdownAsync(_ application: Application) async {
        task?.cancel()
    }
}
