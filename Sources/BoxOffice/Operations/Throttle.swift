import Crypto
import Foundation

/// What a controller calls before the work a rate limit protects: `try await throttle.check(.holds, caller.id)`.
struct Throttle: Sendable {
    let limiter: any RateLimiter
    let limits: RateLimits

    /// Counts one attempt of `scope` by `who` (the parts are joined); over the limit, a 429 with `Retry-After`.
    func check(_ scope: RateLimitScope, _ who: any CustomStringConvertible...) async throws {
        let limit = limits[scope]
        let key = "\(scope.rawValue):\(Self.digest(who.map(\.description).joined(separator: "|")))"
        if let wait = try await limiter.attempt(key, limit: limit.count, per: TimeInterval(limit.seconds)) {
            throw APIError.tooManyRequests(retryAfter: wait)
        }
    }

    /// Keys name who is counted by a hash: their length is bounded whatever a client sends as an email, and no
    /// email or address sits in Redis in the clear.
    static func digest(_ text: String) -> String {
        SHA256.hash(data: Data(text.utf8)).prefix(16).map { String(format: "%02x", $0) }.joined()
    }
}
