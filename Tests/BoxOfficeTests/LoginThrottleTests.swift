import Foundation
import Testing
import VaporTesting
@testable import BoxOffice

@Suite("Login throttling")
struct LoginThrottleTests {
    @Test func eleventhAttemptInAMinuteIs429WithRetryAfter() async throws {
        try await withTestApp { t in
            _ = try await t.customer("throttle@example.com")  // its login is the first attempt
            for _ in 0..<9 {
                let attempt = try await t.request(
                    .POST, "/users/login", json: ["email": "throttle@example.com", "password": "wrong-password"])
                #expect(attempt.status == .unauthorized)
            }
            let blocked = try await t.request(
                .POST, "/users/login", json: ["email": "throttle@example.com", "password": "correct-horse"])
            #expect(blocked.status == .tooManyRequests)
            #expect(blocked.problem?.code == "rate_limited")
            let retryAfter = try #require(blocked.headers.first(name: .retryAfter).flatMap(Int.init))
            #expect((1...60).contains(retryAfter))

            // Another email from the same client is counted separately.
            let other = try await t.request(
                .POST, "/users/login", json: ["email": "someone@example.com", "password": "x-password"])
            #expect(other.status == .unauthorized)

            // The bucket refills one attempt every 6 s; a minute later it is full again.
            t.clock.advance(by: 61)
            let after = try await t.request(
                .POST, "/users/login", json: ["email": "throttle@example.com", "password": "correct-horse"])
            #expect(after.status == .ok)
        }
    }
}
