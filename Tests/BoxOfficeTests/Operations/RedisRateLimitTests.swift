import Foundation
import RESP
import TestSupport
import Testing
import VaporTesting
@testable import BoxOffice

@Suite("Rate limits through Redis")
struct RedisRateLimitTests {
    /// Two instances on one database and one Redis prefix: attempts on either count against one limit.
    @Test(.enabled(if: RedisTestServer.url != nil, "needs TEST_REDIS_URL"))
    func limitsAreSharedAcrossInstances() async throws {
        let database = try await TestDatabase.make()
        let prefix = "bxtest:\(UUID().uuidString):"
        let shared: (inout AppConfig) -> Void = {
            $0.redisURL = RedisURL(RedisTestServer.url!)
            $0.redisKeyPrefix = prefix
            // Hour-long windows: a token comes back after its share of the window (20 s of a minute for 3), and
            // a starved CI machine has taken that long between these logins.
            $0.rateLimits[.loginPerAddress] = RateLimit(3, per: 3600)
            $0.rateLimits[.holds] = RateLimit(2, per: 3600)
        }
        do {
            try await withTestDatabase(database, configure: shared) { a in
                try await withTestDatabase(database, configure: shared) { b in
                    #expect(a.app.boxOffice.throttle.limiter is RedisRateLimiter)
                    #expect(try await a.failedLogin("a@example.com", from: "198.51.100.9").status == .unauthorized)
                    #expect(try await b.failedLogin("b@example.com", from: "198.51.100.9").status == .unauthorized)
                    #expect(try await a.failedLogin("c@example.com", from: "198.51.100.9").status == .unauthorized)
                    let blocked = try await b.failedLogin("d@example.com", from: "198.51.100.9")
                    #expect(blocked.status == .tooManyRequests)
                    #expect(blocked.retryAfter.map { (1...1200).contains($0) } == true)
                    #expect(try await a.failedLogin("d@example.com", from: "203.0.113.7").status == .unauthorized)

                    let f = try await HoldFixture.make(b)
                    let asha = try await b.customer()
                    #expect(try await holdOn(a, f, "B1", asha).status == .created)
                    #expect(try await holdOn(b, f, "B2", asha).status == .created)
                    let refused = try await holdOn(a, f, "B3", asha)
                    #expect(refused.status == .tooManyRequests)
                    #expect(
                        refused.headers.first(name: .retryAfter).flatMap(Int.init).map { (1...1800).contains($0) }
                            == true
                    )
                }
            }
        } catch {
            await database.drop()
            throw error
        }
        await database.drop()
    }

    /// On Redis's clock: one bucket for both instances, and a token is back after its share of the window.
    @Test(.enabled(if: RedisTestServer.url != nil, "needs TEST_REDIS_URL"))
    func aTokenComesBackAfterItsShareOfTheWindow() async throws {
        let redis = RedisClient(configuration: try RedisTestServer.configuration())
        let prefix = "bxtest:\(UUID().uuidString):"
        let clock = ManualClock()
        let a = RedisRateLimiter(
            redis: redis, prefix: prefix, fallback: InProcessRateLimiter(clock: clock), logger: Logger(label: "a"))
        let b = RedisRateLimiter(
            redis: redis, prefix: prefix, fallback: InProcessRateLimiter(clock: clock), logger: Logger(label: "b"))
        do {
            // Take from either instance until refused. A token comes back every 10 s, so even a loaded machine (the
            // whole suite running, Redis answering slowly) takes both before one is back.
            var wait: Int?
            for call in 0..<10 where wait == nil {
                wait = try await (call.isMultiple(of: 2) ? a : b).attempt("k", limit: 2, per: 20)
            }
            let seconds = try #require(wait)
            #expect((1...10).contains(seconds))
            #expect(try await b.attempt("other", limit: 2, per: 20) == nil)
            try await Task.sleep(for: .seconds(seconds))
            #expect(try await b.attempt("k", limit: 2, per: 20) == nil)
            // The key expires by itself (once its bucket is full again): never a key without a TTL.
            let ttl = try await redis.pttl("\(prefix)ratelimit:k")
            #expect(ttl != .noExpiry)
            if case .milliseconds(let left) = ttl { #expect(left <= 20_000) }
        } catch {
            await redis.shutdown()
            throw error
        }
        await redis.shutdown()
    }

    /// Redis down: the limiter counts on this instance instead, so login is neither unlimited nor refused.
    @Test func anUnreachableRedisCountsOnThisInstance() async throws {
        let redis = RedisClient(
            configuration: RedisConfiguration(
                host: "127.0.0.1", port: 1, connectTimeout: .milliseconds(200), commandTimeout: .milliseconds(200)))
        let limiter = RedisRateLimiter(
            redis: redis, prefix: "bxtest:", fallback: InProcessRateLimiter(clock: ManualClock()),
            logger: Logger(label: "test"))
        let results = [
            try await limiter.attempt("k", limit: 2, per: 60), try await limiter.attempt("k", limit: 2, per: 60),
            try await limiter.attempt("k", limit: 2, per: 60),
        ]
        await redis.shutdown()
        #expect(results == [nil, nil, 30])
    }

    private func holdOn(_ t: TestApp, _ f: HoldFixture, _ label: String, _ who: TestApp.Account) async throws
        -> TestingHTTPResponse
    {
        try await t.request(
            .POST, "/seatlocks", json: CreateSeatLockRequest(showId: f.show.id, seatIds: [f.seat(label)]),
            token: who.accessToken)
    }
}
