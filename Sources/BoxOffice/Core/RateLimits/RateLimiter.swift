import Foundation

/// Counts attempts per key against a token bucket of `limit` tokens that refills over `window`.
public protocol RateLimiter: Sendable {
    /// Takes one token for `key`. Returns `nil` when it is allowed, or the whole seconds to wait (at least 1) when
    /// it is not. A refused attempt takes nothing, so retrying early does not push the wait further out.
    func attempt(_ key: String, limit: Int, per window: TimeInterval) async throws -> Int?

    /// What `attempt` would answer now, taking nothing: for limits that count only some attempts (failed logins),
    /// checked before the work and taken after it when it failed.
    func peek(_ key: String, limit: Int, per window: TimeInterval) async throws -> Int?
}

/// The token bucket as GCRA (the generic cell rate algorithm): instead of a token count and a refill time, a key
/// keeps one instant, its "theoretical arrival time". Each allowed attempt moves it `window / limit` later; an
/// attempt is refused while that instant is more than a whole `window` ahead of now. That is a bucket of `limit`
/// tokens refilled one every `window / limit`, kept in one number, which is what the Redis script stores too.
enum TokenBucket {
    enum Outcome: Equatable {
        /// Allowed; keep `next` as the key's arrival time (a key whose time has passed is a full bucket).
        case allowed(next: Date)
        /// Refused; a token is back after this many seconds.
        case refused(wait: TimeInterval)
    }

    static func take(arrival: Date?, now: Date, limit: Int, window: TimeInterval) -> Outcome {
        let window = sane(window)
        let interval = window / Double(max(1, limit))
        var arrival = max(arrival ?? now, now)
        // Allowed attempts never move the arrival more than a window ahead of now; one that is ahead by more was
        // taken before the clock stepped back (NTP, a test moving time), and is forgotten rather than making
        // everyone wait out the step.
        if arrival.timeIntervalSince(now) > window { arrival = now }
        let allowedAt = arrival.addingTimeInterval(interval - window)
        guard allowedAt <= now else { return .refused(wait: allowedAt.timeIntervalSince(now)) }
        return .allowed(next: arrival.addingTimeInterval(interval))
    }

    /// Whole seconds for `Retry-After`: rounded up, at least 1.
    static func seconds(_ wait: TimeInterval) -> Int {
        max(1, Int(sane(wait).rounded(.up)))
    }

    /// A year: far beyond any configured window, and small enough for every conversion to stay exact.
    static let maxWindow: TimeInterval = 366 * 86_400

    /// A duration the arithmetic can use whatever the caller passed (NaN, negative, huge): within 0 exclusive and a
    /// year inclusive.
    static func sane(_ window: TimeInterval) -> TimeInterval {
        guard window.isFinite, window > 0 else { return 1 }
        return min(window, maxWindow)
    }
}

/// The single-instance limiter: the token bucket of every key in one actor. Used without Redis, and by
/// `RedisRateLimiter` while Redis is unreachable.
public actor InProcessRateLimiter: RateLimiter {
    private let clock: any AppClock
    private var arrivals: [String: Date] = [:]
    private var callsSinceSweep = 0

    public init(clock: any AppClock) {
        self.clock = clock
    }

    public func attempt(_ key: String, limit: Int, per window: TimeInterval) -> Int? {
        let now = clock.now()
        sweepIfDue(now: now)
        switch TokenBucket.take(arrival: arrivals[key], now: now, limit: limit, window: window) {
        case .allowed(let next):
            arrivals[key] = next
            return nil
        case .refused(let wait):
            return TokenBucket.seconds(wait)
        }
    }

    public func peek(_ key: String, limit: Int, per window: TimeInterval) -> Int? {
        switch TokenBucket.take(arrival: arrivals[key], now: clock.now(), limit: limit, window: window) {
        case .allowed: return nil
        case .refused(let wait): return TokenBucket.seconds(wait)
        }
    }

    /// Now and then drops the keys whose bucket is full again (forgetting them changes nothing), so memory stays
    /// bounded by recent traffic.
    private func sweepIfDue(now: Date) {
        callsSinceSweep += 1
        guard callsSinceSweep >= 1000 else { return }
        callsSinceSweep = 0
        arrivals = arrivals.filter { _, arrival in arrival > now }
    }
}
