import Foundation

/// Counts attempts per key in a sliding window.
public protocol RateLimiter: Sendable {
    /// Records one attempt for `key`. Returns `nil` when it is allowed, or the seconds to wait when it is not.
    func attempt(_ key: String, limit: Int, per window: TimeInterval) async throws -> Int?
}

/// The single-instance limiter: a sliding log of attempt times per key, in one actor.
public actor InProcessRateLimiter: RateLimiter {
    private let clock: any AppClock
    private var attempts: [String: [Date]] = [:]
    private var callsSinceSweep = 0

    public init(clock: any AppClock) {
        self.clock = clock
    }

    public func attempt(_ key: String, limit: Int, per window: TimeInterval) -> Int? {
        let now = clock.now()
        sweepIfDue(now: now, window: window)
        var log = (attempts[key] ?? []).filter { now.timeIntervalSince($0) < window }
        guard log.count < limit else {
            attempts[key] = log
            let retry = window - now.timeIntervalSince(log[0])
            return max(1, Int(retry.rounded(.up)))
        }
        log.append(now)
        attempts[key] = log
        return nil
    }

    /// Drops keys with no recent attempts now and then, so memory stays bounded by recent traffic.
    private func sweepIfDue(now: Date, window: TimeInterval) {
        callsSinceSweep += 1
        guard callsSinceSweep >= 1000 else { return }
        callsSinceSweep = 0
        attempts = attempts.filter { _, log in log.last.map { now.timeIntervalSince($0) < window } ?? false }
    }
}
