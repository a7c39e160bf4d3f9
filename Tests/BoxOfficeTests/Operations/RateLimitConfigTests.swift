import Foundation
import Testing
import Vapor
@testable import BoxOffice

@Suite("Configuration: rate limits and TRUSTED_PROXIES")
struct RateLimitConfigTests {
    @Test func defaultsLimitEveryScopeAndTrustNoProxy() throws {
        let config = try AppConfig.load(from: [:], environment: .development)
        #expect(config.rateLimits[.login] == RateLimit(10, per: 60))
        #expect(config.rateLimits[.loginPerAddress] == RateLimit(30, per: 60))
        #expect(RateLimitScope.allCases.allSatisfy { config.rateLimits[$0] == $0.defaultLimit })
        #expect(config.trustedProxies.isEmpty)
    }

    @Test func parsesEveryLimitAndTheProxies() throws {
        var env: [String: String] = [:]
        for (index, scope) in RateLimitScope.allCases.enumerated() {
            env[scope.environmentKey] = "\(index + 1)/\(60 * (index + 1))"
        }
        env["TRUSTED_PROXIES"] = " 10.0.0.0/8, 192.0.2.7 ,2001:db8::/32,"
        let config = try AppConfig.load(from: env, environment: .development)
        for (index, scope) in RateLimitScope.allCases.enumerated() {
            #expect(config.rateLimits[scope] == RateLimit(index + 1, per: 60 * (index + 1)))
        }
        #expect(config.trustedProxies.map(\.description) == ["10.0.0.0/8", "192.0.2.7/32", "2001:db8::/32"])
    }

    @Test func theOlderLoginVariableStillWorks() throws {
        let config = try AppConfig.load(from: ["LOGIN_RATE_LIMIT_PER_MINUTE": "5"], environment: .development)
        #expect(config.rateLimits[.login] == RateLimit(5, per: 60))
        #expect {
            try AppConfig.load(from: ["LOGIN_RATE_LIMIT_PER_MINUTE": "0"], environment: .development)
        } throws: { error in
            (error as? ConfigError)?.problems == [
                "LOGIN_RATE_LIMIT_PER_MINUTE=0 is not valid: expected a whole number from 1 to 10000"
            ]
        }
    }

    @Test func namesEveryBadLimitAndProxy() {
        let bad = [
            "RATE_LIMIT_LOGIN": "10", "RATE_LIMIT_SIGNUP": "0/60", "RATE_LIMIT_HOLDS": "10/0",
            "RATE_LIMIT_BOOKINGS": "ten/60", "RATE_LIMIT_PAYMENTS": "10/60/2", "RATE_LIMIT_WEBHOOKS": "10/86401",
            "RATE_LIMIT_DISCOUNT_VALIDATE": "-1/60", "LOGIN_RATE_LIMIT_PER_MINUTE": "5",
            "TRUSTED_PROXIES": "10.0.0.0/8, 10.0.0.0/33, proxy.internal",
        ]
        #expect {
            try AppConfig.load(from: bad, environment: .development)
        } throws: { error in
            guard let error = error as? ConfigError else { return false }
            let text = error.description
            return error.problems.count == 10
                && [
                    "RATE_LIMIT_LOGIN", "RATE_LIMIT_SIGNUP", "RATE_LIMIT_HOLDS", "RATE_LIMIT_BOOKINGS",
                    "RATE_LIMIT_PAYMENTS", "RATE_LIMIT_WEBHOOKS", "RATE_LIMIT_DISCOUNT_VALIDATE",
                    "LOGIN_RATE_LIMIT_PER_MINUTE", "10.0.0.0/33", "proxy.internal",
                ].allSatisfy(text.contains)
        }
    }
}
