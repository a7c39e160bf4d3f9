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

/// The one Redis client of the app when `REDIS_URL` is set, closed at shutdown.
func makeRedisClient(_ app: Application, config: AppConfig) throws -> RedisClient? {
    guard let url = config.redisURL else { return nil }
    let redis = RedisClient(configuration: try RedisConfiguration(url: url.raw), logger: app.logger)
    app.lifecycle.use(RedisShutdown(redis: redis))
    return redis
}

/// The store the caller passed, else Redis when configured, else the in-process store.
func makeHoldStore(redis: RedisClient?, config: AppConfig, services: AppServices) -> any SeatHoldStore {
    if let store = services.holdStore { return store }
    guard let redis else { return InProcessSeatHoldStore(clock: services.clock) }
    return RedisSeatHoldStore(redis: redis, clock: services.clock, prefix: config.redisKeyPrefix)
}

/// Closes the Redis pool when the app shuts down.
struct RedisShutdown: LifecycleHandler {
    let redis: RedisClient

    func shutdownAsync(_ application: Application) async {
        await redis.shutdown()
    }
}
