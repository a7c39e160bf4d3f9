import Crypto
import Foundation

/// What a controller calls before the work a rate limit protects: `try await throttle.check(.holds, caller.id)`.
struct Throttle: Sendable {
    let limiter: any RateLimiter
    let limits: RateLimits

    /// Counts one attempt of `scope` by `who` (the parts are joined); over the limit, a 429 with `Retry-After`.
    func check(_ scope: RateLimitScope, _ who: any CustomStringConvertible...) async throws {
        let limit = limits[scope]
        if let wait = try await limiter.attempt(key(scope, who), limit: limit.count, per: TimeInterval(limit.seconds)) {
            throw APIError.tooManyRequests(retryAfter: wait)
        }
    }

    /// For limits that count only failures: a 429 with `Retry-After` while `who` has none left, taking nothing.
    func ensureAllowed(_ scope: RateLimitScope, _ who: any CustomStringConvertible...) async throws {
        let limit = limits[scope]
        if let wait = try await limiter.peek(key(scope, who), limit: limit.count, per: TimeInterval(limit.seconds)) {
            throw APIError.tooManyRequests(retryAfter: wait)
        }
    }

    /// Counts one failure of `scope` by `who` (see `ensureAllowed`); one over the limit (a race) is not an error.
    func recordFailure(_ scope: RateLimitScope, _ who: any CustomStringConvertible...) async throws {
        let limit = limits[scope]
        _ = try await limiter.attempt(key(scope, who), limit: limit.count, per: TimeInterval(limit.seconds))
    }

    private func key(_ scope: RateLimitScope, _ who: [any CustomStringConvertible]) -> String {
        "\(scope.rawValue):\(Self.digest(who.map { Self.counted($0.description) }.joined(separator: "|")))"
    }

    /// An IPv6 client is counted by its /64: one subscriber, host or cloud VM commonly holds a whole /64 and can send
    /// from any of its 2^64 addresses. IPv4 addresses, and everything that is not an address, count as they are.
    static func counted(_ part: String) -> String {
        guard let address = IPAddress(part), address.bytes.count == 16 else { return part }
        return IPAddress(bytes: Array(address.bytes.prefix(8)) + Array(repeating: 0, count: 8)).description + "/64"
    }

    /// Keys name who is counted by a hash: their length is bounded whatever a client sends as an email, and no
    /// email or address sits in Redis in the clear.
    static func digest(_ text: String) -> String {
        SHA256.hash(data: Data(text.utf8)).prefix(16).map { String(format: "%02x", $0) }.joined()
    }
}
