import Foundation
import Testing
import VaporTesting

@testable import BoxOffice

@Suite("Metrics")
struct MetricsTests {
    static let token = "metrics-token-for-tests-0123456789"

    private func scrape(_ t: TestApp) async throws -> String {
        let response = try await t.request(.GET, "/metrics", token: Self.token)
        #expect(response.status == .ok, "\(response.body.string)")
        #expect(response.headers.first(name: .contentType)?.hasPrefix("text/plain") == true)
        return response.body.string
    }

    /// The named series are there after the actions that feed them, and a 409 on a hold counts a conflict.
    @Test func theNamedSeriesAreExposedAndAConflictIsCounted() async throws {
        try await withTestApp(configure: { $0.metricsToken = Self.token }) { t in
            let f = try await PaymentFixture.make(t, events: InMemoryEventBus())
            let asha = try await t.customer(), ravi = try await t.customer()
            let (booking, _) = try await f.bookAndPay(["B5"], asha)
            let taken = try await t.request(
                .POST, "/seatlocks", json: CreateSeatLockRequest(showId: f.show.id, seatIds: [f.booking.seats["B5"]!]),
                token: ravi.accessToken)
            #expect(taken.status == .conflict)
            let before = try await scrape(t)
            #expect(before.contains("seat_lock_conflicts_total 1"))
            let again = try await t.request(
                .POST, "/seatlocks", json: CreateSeatLockRequest(showId: f.show.id, seatIds: [f.booking.seats["B5"]!]),
                token: ravi.accessToken)
            #expect(again.status == .conflict)
            #expect(
                try await t.request(.POST, "/bookings/\(booking.id)/cancel", token: asha.accessToken).status == .ok)
            let text = try await scrape(t)
            for series in [
                "seat_lock_conflicts_total 2", #"payments_total{outcome="completed"} 1"#, "refunds_total 1",
                "booking_latency_seconds_bucket", "seat_holds_active", "websocket_connections 0",
                #"http_requests_total{method="POST",route="/seatlocks",status="409"} 2"#,
                #"http_request_duration_seconds_bucket{method="POST",route="/seatlocks","#,
            ] {
                #expect(text.contains(series), "\(series) is missing")
            }
            // Route patterns, never raw paths with ids.
            #expect(text.contains(#"route="/bookings/:id/cancel""#))
            #expect(!text.contains(booking.id.uuidString))
        }
    }

    /// With a token, only the token opens it; without one, only loopback clients.
    @Test func metricsNeedTheToken() async throws {
        try await withTestApp(configure: { $0.metricsToken = Self.token }) { t in
            let none = try await t.request(.GET, "/metrics")
            let wrong = try await t.request(.GET, "/metrics", token: Self.token + "x")
            let right = try await t.request(.GET, "/metrics", token: Self.token)
            #expect(none.status == .unauthorized && wrong.status == .unauthorized && right.status == .ok)
        }
    }

    @Test func withoutATokenMetricsAreForLoopbackClientsOnly() async throws {
        try await withTestApp { t in
            // An in-memory request has no peer: it is not from this machine.
            let inMemory = try await t.request(.GET, "/metrics")
            let loopback = try await t.request(.GET, "/metrics", live: true)
            #expect(inMemory.status == .forbidden && loopback.status == .ok)
            // A claimed loopback address in X-Forwarded-For is not a loopback peer.
            let spoofed = try await t.request(.GET, "/metrics", headers: ["X-Forwarded-For": "127.0.0.1"])
            #expect(spoofed.status == .forbidden)
        }
    }

    /// Found by scripts/two-instances: behind nginx on the same machine every request's peer is 127.0.0.1, so a
    /// remote client whose address the trusted proxy forwards must not count as this machine.
    @Test func aRemoteClientBehindATrustedLocalProxyGetsNoMetrics() async throws {
        try await withTestApp(configure: { $0.trustedProxies = [IPNetwork("127.0.0.1/32")!] }) { t in
            let remote = try await t.request(
                .GET, "/metrics", headers: ["X-Forwarded-For": "203.0.113.9"], live: true)
            #expect(remote.status == .forbidden)
            let local = try await t.request(.GET, "/metrics", live: true)
            #expect(local.status == .ok)
            let localThroughProxy = try await t.request(
                .GET, "/metrics", headers: ["X-Forwarded-For": "127.0.0.1"], live: true)
            #expect(localThroughProxy.status == .ok)
        }
    }

    @Test func aShortMetricsTokenIsRefusedAtStart() throws {
        #expect(throws: ConfigError.self) {
            _ = try AppConfig.load(from: ["METRICS_TOKEN": "short"], environment: .development)
        }
        let config = try AppConfig.load(
            from: ["METRICS_TOKEN": Self.token, "HTTP_IDLE_TIMEOUT_SECONDS": "30"], environment: .development)
        #expect(config.metricsToken == Self.token && config.httpIdleTimeoutSeconds == 30)
    }
}
