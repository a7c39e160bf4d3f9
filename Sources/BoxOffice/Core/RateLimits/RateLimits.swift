import Foundation

/// One limit: `count` attempts per `seconds`, refilled evenly (a token bucket), written `count/seconds`.
public struct RateLimit: Sendable, Equatable, CustomStringConvertible {
    public var count: Int
    public var seconds: Int

    public init(_ count: Int, per seconds: Int) {
        self.count = count
        self.seconds = seconds
    }

    public static let maxCount = 1_000_000
    public static let maxSeconds = 86_400

    /// `10/60`: 10 per 60 seconds. Both whole numbers; at most 1,000,000 per at most a day.
    public init?(_ raw: String) {
        let parts = raw.split(separator: "/", omittingEmptySubsequences: false).map {
            Int($0.trimmingCharacters(in: .whitespaces))
        }
        guard parts.count == 2, let count = parts[0], let seconds = parts[1],
            (1...Self.maxCount).contains(count), (1...Self.maxSeconds).contains(seconds)
        else { return nil }
        self.init(count, per: seconds)
    }

    public var description: String { "\(count)/\(seconds)" }
}

/// What a limit counts, and who by. Each is set by its own variable.
public enum RateLimitScope: String, Sendable, CaseIterable {
    /// Logins per client address and email: one person's guesses at one account.
    case login
    /// Logins per client address whatever the email: one address spraying many accounts.
    case loginPerAddress = "login-address"
    /// Failed logins per account (email) from anywhere: guesses spread over many addresses. Only failures count, and
    /// a locked account is open again one token's share of the window after the guessing stops.
    case loginPerAccount = "login-account"
    case signup
    case holds
    case holdsPerAddress = "holds-address"
    case bookings
    case payments
    case discountValidation = "discount-validate"
    case webhooks

    public var environmentKey: String {
        switch self {
        case .login: return "RATE_LIMIT_LOGIN"
        case .loginPerAddress: return "RATE_LIMIT_LOGIN_PER_ADDRESS"
        case .loginPerAccount: return "RATE_LIMIT_LOGIN_PER_ACCOUNT"
        case .signup: return "RATE_LIMIT_SIGNUP"
        case .holds: return "RATE_LIMIT_HOLDS"
        case .holdsPerAddress: return "RATE_LIMIT_HOLDS_PER_ADDRESS"
        case .bookings: return "RATE_LIMIT_BOOKINGS"
        case .payments: return "RATE_LIMIT_PAYMENTS"
        case .discountValidation: return "RATE_LIMIT_DISCOUNT_VALIDATE"
        case .webhooks: return "RATE_LIMIT_WEBHOOKS"
        }
    }

    /// Generous for people (a household or office shares an address), tight for scripts.
    public var defaultLimit: RateLimit {
        switch self {
        case .login: return RateLimit(10, per: 60)
        case .loginPerAddress: return RateLimit(30, per: 60)
        case .loginPerAccount: return RateLimit(20, per: 900)
        case .signup: return RateLimit(10, per: 3600)
        case .holds: return RateLimit(30, per: 60)
        case .holdsPerAddress: return RateLimit(120, per: 60)
        case .bookings: return RateLimit(10, per: 60)
        case .payments: return RateLimit(10, per: 60)
        case .discountValidation: return RateLimit(20, per: 60)
        case .webhooks: return RateLimit(300, per: 60)
        }
    }
}

/// Every configured limit, by scope.
public struct RateLimits: Sendable, Equatable {
    private var limits: [RateLimitScope: RateLimit] = [:]

    public init() {}

    public subscript(scope: RateLimitScope) -> RateLimit {
        get { limits[scope] ?? scope.defaultLimit }
        set { limits[scope] = newValue }
    }

    /// For tests: the login limit of the login tests, and every other limit out of the way of suites that sign up,
    /// hold and book hundreds of times from one (absent) address. Rate-limit tests set the limit they check.
    public static var testing: RateLimits {
        var limits = RateLimits()
        for scope in RateLimitScope.allCases where scope != .login {
            limits[scope] = RateLimit(RateLimit.maxCount, per: 1)
        }
        return limits
    }
}
