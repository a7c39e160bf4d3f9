import RESP
import Vapor

/// The limiter every instance shares: each key's token bucket lives in Redis, taken by one Lua script (read, decide
/// and write in one atomic step, on Redis's clock, so instances with skewed clocks agree), under the app's
/// `REDIS_KEY_PREFIX`, expiring by itself once the bucket is full again.
///
/// While Redis cannot be reached the limiter neither fails open nor closed: it counts on this instance alone. Open
/// would make login unlimited to whoever can make Redis slow or unreachable, closed would turn a Redis outage into
/// an outage of login, holds and payments; per-instance counting keeps both bounded (by the number of instances).
public struct RedisRateLimiter: RateLimiter {
    let redis: RedisClient
    let prefix: String
    let fallback: InProcessRateLimiter
    let logger: Logger

    public init(redis: RedisClient, prefix: String, fallback: InProcessRateLimiter, logger: Logger) {
        self.redis = redis
        self.prefix = prefix
        self.fallback = fallback
        self.logger = logger
    }

    public func attempt(_ key: String, limit: Int, per window: TimeInterval) async throws -> Int? {
        try await run(key, limit: limit, per: window, write: true) {
            await fallback.attempt(key, limit: limit, per: window)
        }
    }

    public func peek(_ key: String, limit: Int, per window: TimeInterval) async throws -> Int? {
        try await run(key, limit: limit, per: window, write: false) {
            await fallback.peek(key, limit: limit, per: window)
        }
    }

    private func run(
        _ key: String, limit: Int, per window: TimeInterval, write: Bool,
        orElse local: () async -> Int?
    ) async throws -> Int? {
        let milliseconds = Int((TokenBucket.sane(window) * 1000).rounded(.up))
        do {
            let reply = try await redis.evalSHA(
                Self.take, keys: ["\(prefix)ratelimit:\(key)"],
                arguments: [String(max(1, limit)), String(milliseconds), write ? "1" : "0"])
            guard let wait = reply.int else {
                throw RedisClientError.unexpectedReply(command: "EVALSHA", reply: reply)
            }
            return wait <= 0 ? nil : TokenBucket.seconds(Double(wait) / 1000)
        } catch is CancellationError {
            throw CancellationError()
        } catch {
            logger.warning(
                "rate limiter: Redis unavailable, counting on this instance",
                metadata: ["error": "\(String(describing: error))"])
            return await local()
        }
    }

    /// KEYS: the bucket; ARGV: limit, window in ms, 1 to take a token (0 only looks). The bucket is GCRA's arrival
    /// time in ms (see `TokenBucket`; an arrival more than a window ahead is from before Redis's clock stepped back,
    /// and is forgotten). Returns 0 when a token is there (and taken, with ARGV[3] = 1), else the ms until one is
    /// back (nothing is written then).
    static let take = RedisScript(
        """
        local limit = tonumber(ARGV[1])
        local window = tonumber(ARGV[2])
        local interval = window / limit
        local time = redis.call('TIME')
        local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
        local arrival = tonumber(redis.call('GET', KEYS[1]) or now) or now
        if arrival < now or arrival > now + window then arrival = now end
        local allowedAt = arrival + interval - window
        if allowedAt > now then return math.ceil(allowedAt - now) end
        if ARGV[3] ~= '1' then return 0 end
        local nextArrival = arrival + interval
        redis.call('SET', KEYS[1], string.format('%.3f', nextArrival), 'PX', string.format('%d', math.ceil(nextArrival - now)))
        return 0
        """)
}
