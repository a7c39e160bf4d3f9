import RESP
import Vapor

/// The one Redis client of the app when `REDIS_URL` is set, closed at shutdown.
func makeRedisClient(_ app: Application, config: AppConfig) throws -> RedisClient? {
    guard let url = config.redisURL else { return nil }
    var configuration = try url.configuration()
    // The client's own defaults (250 ms to connect, 500 ms a reply, 4 connections) shed holds as 503s whenever two
    // busy cores were slow for half a second (seen in bench/run and CI): ours are 1 s, 2 s and 8, from the environment.
    configuration.connectTimeout = .milliseconds(Int64(config.redisConnectTimeoutMilliseconds))
    configuration.commandTimeout = .milliseconds(Int64(config.redisCommandTimeoutMilliseconds))
    configuration.maximumConnections = config.redisPoolSize
    let redis = RedisClient(configuration: configuration, logger: app.logger)
    app.lifecycle.use(RedisShutdown(redis: redis))
    return redis
}

/// The store the caller passed, else Redis when configured, else the in-process store.
func makeHoldStore(redis: RedisClient?, config: AppConfig, services: AppServices) -> any SeatHoldStore {
    if let store = services.holdStore { return store }
    guard let redis else { return InProcessSeatHoldStore(clock: services.clock) }
    return RedisSeatHoldStore(redis: redis, clock: services.clock, prefix: config.redisKeyPrefix)
}

/// The limiter the caller passed, else one shared through Redis when configured, else the in-process one.
func makeRateLimiter(_ app: Application, redis: RedisClient?, config: AppConfig, services: AppServices)
    -> any RateLimiter
{
    if let limiter = services.rateLimiter { return limiter }
    let local = InProcessRateLimiter(clock: services.clock)
    guard let redis else { return local }
    return RedisRateLimiter(redis: redis, prefix: config.redisKeyPrefix, fallback: local, logger: app.logger)
}

/// Live events over Redis when it is configured (every instance hears every other), else straight to this instance.
func makeLiveBus(_ app: Application, redis: RedisClient?, config: AppConfig, metrics: any AppMetrics) -> any LiveBus {
    let hub = SocketHub(metrics: metrics)
    guard let redis else { return InProcessLiveBus(hub: hub) }
    return RedisLiveBus(redis: redis, channel: config.redisKeyPrefix + "live", hub: hub, logger: app.logger)
}

/// Closes the Redis pool when the app shuts down.
struct RedisShutdown: LifecycleHandler {
    let redis: RedisClient

    func shutdownAsync(_ application: Application) async {
        await redis.shutdown()
    }
}
