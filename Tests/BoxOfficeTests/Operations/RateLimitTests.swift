import Foundation
import TestSupport
import Testing
import VaporTesting
@testable import BoxOffice

@Suite("Rate limits (in process)")
struct RateLimitTests {
    @Test func theBucketRefillsOneTokenPerShareOfTheWindow() async {
        let clock = ManualClock()
        let limiter = InProcessRateLimiter(clock: clock)
        #expect(await limiter.attempt("a", limit: 2, per: 60) == nil)
        #expect(await limiter.attempt("a", limit: 2, per: 60) == nil)
        #expect(await limiter.attempt("a", limit: 2, per: 60) == 30)
        #expect(await limiter.attempt("b", limit: 2, per: 60) == nil)
        clock.advance(by: 20)
        // A refused attempt takes nothing: the wait does not grow by retrying.
        #expect(await limiter.attempt("a", limit: 2, per: 60) == 10)
        clock.advance(by: 10)
        #expect(await limiter.attempt("a", limit: 2, per: 60) == nil)
        #expect(await limiter.attempt("a", limit: 2, per: 60) == 30)
        clock.advance(by: 60)
        // A full bucket after a quiet window, never more than full.
        #expect(await limiter.attempt("a", limit: 2, per: 60) == nil)
        #expect(await limiter.attempt("a", limit: 2, per: 60) == nil)
        #expect(await limiter.attempt("a", limit: 2, per: 60) != nil)
    }

    @Test func aClockSteppingBackDoesNotMakeEveryoneWait() async {
        let clock = ManualClock()
        let limiter = InProcessRateLimiter(clock: clock)
        #expect(await limiter.attempt("a", limit: 2, per: 60) == nil)
        // A small step back still counts what was taken...
        clock.advance(by: -20)
        #expect(await limiter.attempt("a", limit: 2, per: 60) == 20)
        // ...a step back of more than a window forgets it, instead of refusing everyone for an hour.
        clock.advance(by: -3600)
        #expect(await limiter.attempt("a", limit: 2, per: 60) == nil)
        #expect(await limiter.attempt("a", limit: 2, per: 60) == nil)
        #expect(await limiter.attempt("a", limit: 2, per: 60) == 30)
    }

    @Test func oddArgumentsNeitherCrashNorAllowEverything() async {
        let limiter = InProcessRateLimiter(clock: ManualClock())
        for (limit, window) in [(0, 60.0), (-5, 60), (1, .nan), (1, -1), (1, .infinity), (Int.max, 1e300)] {
            _ = await limiter.attempt("k\(limit)\(window)", limit: limit, per: window)
            let second = await limiter.attempt("k\(limit)\(window)", limit: limit, per: window)
            if limit <= 1 { #expect(second != nil && second! >= 1) }
        }
    }

    @Test func loginIsLimitedPerAddressAcrossEmails() async throws {
        try await withTestApp(configure: { $0.rateLimits[.loginPerAddress] = RateLimit(3, per: 60) }) { t in
            for email in ["a@example.com", "b@example.com", "c@example.com"] {
                #expect(try await t.failedLogin(email, from: "198.51.100.9").status == .unauthorized)
            }
            let blocked = try await t.failedLogin("d@example.com", from: "198.51.100.9")
            #expect(blocked.status == .tooManyRequests)
            #expect(blocked.problem?.code == "rate_limited")
            #expect(blocked.headers.first(name: .contentType)?.hasPrefix("application/problem+json") == true)
            let retryAfter = try #require(blocked.retryAfter)
            #expect((1...20).contains(retryAfter))
            // Another address is not affected.
            #expect(try await t.failedLogin("d@example.com", from: "203.0.113.7").status == .unauthorized)

            t.clock.advance(by: TimeInterval(retryAfter))
            #expect(try await t.failedLogin("e@example.com", from: "198.51.100.9").status == .unauthorized)
            #expect(try await t.failedLogin("f@example.com", from: "198.51.100.9").status == .tooManyRequests)
        }
    }

    @Test func holdsAreLimitedPerUser() async throws {
        try await withTestApp(configure: { $0.rateLimits[.holds] = RateLimit(2, per: 60) }) { t in
            let f = try await HoldFixture.make(t)
            let asha = try await t.customer(), ravi = try await t.customer()
            #expect(try await f.hold(["B1"], as: asha).status == .created)
            #expect(try await f.hold(["B2"], as: asha).status == .created)
            let blocked = try await f.hold(["B3"], as: asha)
            #expect(blocked.status == .tooManyRequests)
            #expect(blocked.problem?.code == "rate_limited")
            let retryAfter = try #require(blocked.headers.first(name: .retryAfter).flatMap(Int.init))
            #expect((1...30).contains(retryAfter))
            // Nothing was held by the refused request; another customer is counted apart.
            #expect(try await f.hold(["B3"], as: ravi).status == .created)

            t.clock.advance(by: 30)
            #expect(try await f.hold(["B4"], as: asha).status == .created)
            #expect(try await f.hold(["B5"], as: asha).status == .tooManyRequests)
        }
    }

    @Test func holdsAreLimitedPerAddress() async throws {
        try await withTestApp(configure: { $0.rateLimits[.holdsPerAddress] = RateLimit(2, per: 60) }) { t in
            let f = try await HoldFixture.make(t)
            let asha = try await t.customer(), ravi = try await t.customer()
            func hold(_ label: String, _ who: TestApp.Account, from peer: String) async throws -> PeerResponse {
                try await t.request(
                    .POST, "/seatlocks", from: peer,
                    json: CreateSeatLockRequest(showId: f.show.id, seatIds: [f.seat(label)]), token: who.accessToken)
            }
            #expect(try await hold("C1", asha, from: "198.51.100.9").status == .created)
            #expect(try await hold("C2", ravi, from: "198.51.100.9").status == .created)
            let blocked = try await hold("C3", ravi, from: "198.51.100.9")
            #expect(blocked.status == .tooManyRequests && blocked.retryAfter != nil)
            #expect(try await hold("C3", ravi, from: "203.0.113.7").status == .created)
        }
    }

    /// Each limited route, at a limit of one a minute: the second call is a 429 with `Retry-After`, whatever the
    /// first answered (attempts are counted, not successes).
    @Test(arguments: [
        (RateLimitScope.signup, "/users/signup"), (.bookings, "/bookings"), (.payments, "/payments"),
        (.discountValidation, "/discounts/validate"), (.webhooks, "/payments/webhook"),
    ])
    func everyLimitedRouteAnswers429(scope: RateLimitScope, path: String) async throws {
        try await withTestApp(configure: { $0.rateLimits[scope] = RateLimit(1, per: 60) }) { t in
            // From an address of its own: the customer's signup (from no address) is not counted with these.
            let customer = try await t.customer()
            func call() async throws -> PeerResponse {
                try await t.request(
                    .POST, path, from: "198.51.100.9", json: [String: String](), token: customer.accessToken)
            }
            #expect(try await call().status != .tooManyRequests)
            let second = try await call()
            #expect(second.status == .tooManyRequests, "\(String(buffer: second.body))")
            #expect(second.retryAfter.map { (1...60).contains($0) } == true)
            t.clock.advance(by: 60)
            #expect(try await call().status != .tooManyRequests)
        }
    }
}
