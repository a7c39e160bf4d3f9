import Foundation
import Testing
import VaporTesting

@testable import BoxOffice

/// Two app instances on one database and one Redis, each listening on its own free port, as behind a load balancer.
@Suite("Live events across instances")
struct TwoInstanceLiveTests {
    @Test(.enabled(if: RedisTestServer.url != nil, "needs TEST_REDIS_URL"))
    func seatEventsAndNotificationsReachSocketsOnTheOtherInstance() async throws {
        try await withTwoInstances { a, b in
            let f = try await PaymentFixture.make(a, events: InMemoryEventBus())
            let asha = try await a.customer(), viewer = try await a.customer()
            try await b.listening { port in
                let map = try await TestSocket.connect(port: port, token: viewer.accessToken, on: b.app.eventLoopGroup)
                let mine = try await TestSocket.connect(port: port, token: asha.accessToken, on: b.app.eventLoopGroup)
                try await map.subscribe(f.show.id)
                let b5 = f.booking.seats["B5"]!
                // Everything happens on instance A; the sockets are on B.
                let (booking, _) = try await f.bookAndPay(["B5"], asha)
                #expect(
                    try await map.next("seats", within: 1, where: JSONValue.seatEvent(f.show.id, "held", b5)) != nil)
                #expect(
                    try await map.next("seats", within: 1, where: JSONValue.seatEvent(f.show.id, "booked", b5)) != nil)
                let pushed = try await mine.next("notification", within: 1) {
                    $0["notification"]?["type"]?.string == "booking_confirmed"
                }
                #expect(pushed?["notification"]?["data"]?["booking_id"]?.string == booking.id.uuidString)
                // B drains the outbox too: the notification is not stored or pushed twice.
                _ = try await b.app.boxOffice.outbox.deliverDue(on: b.app.db)
                let page = try await b.request(.GET, "/notifications", token: asha.accessToken)
                #expect(try page.content.decode(Page<NotificationResponse>.self).total == 1)
                try await Task.sleep(for: .milliseconds(200))
                #expect(!mine.messages.contains { $0["type"]?.string == "notification" })
                await map.close()
                await mine.close()
            }
        }
    }

    /// Holds expire by Redis's clock; both instances sweep at once and exactly one reports each expiry, which every
    /// following socket hears once.
    @Test(.enabled(if: RedisTestServer.url != nil, "needs TEST_REDIS_URL"))
    func anExpiredHoldIsReportedOnceWhenBothInstancesSweep() async throws {
        try await withTwoInstances(ttl: 2) { a, b in
            let f = try await BookingFixture.make(a)
            let asha = try await a.customer(), viewer = try await a.customer()
            try await b.listening { port in
                let map = try await TestSocket.connect(port: port, token: viewer.accessToken, on: b.app.eventLoopGroup)
                try await map.subscribe(f.show.id)
                let b5 = f.seats["B5"]!
                _ = try await f.hold(["B5"], asha)
                #expect(try await map.next("seats", where: JSONValue.seatEvent(f.show.id, "held", b5)) != nil)
                try await Task.sleep(for: .milliseconds(2300))
                async let swept = a.app.boxOffice.holds.sweep()
                async let sweptToo = b.app.boxOffice.holds.sweep()
                #expect(try await swept + sweptToo == 1)
                #expect(try await map.next("seats", where: JSONValue.seatEvent(f.show.id, "expired", b5)) != nil)
                try await Task.sleep(for: .milliseconds(200))
                #expect(!map.messages.contains { $0["status"]?.string == "expired" })
                await map.close()
            }
        }
    }

    private func withTwoInstances(ttl: Int = 600, _ body: (TestApp, TestApp) async throws -> Void) async throws {
        let database = try await TestDatabase.make()
        let prefix = "bxtest:\(UUID().uuidString):"
        let shared: (inout AppConfig) -> Void = {
            $0.redisURL = RedisURL(RedisTestServer.url!)
            $0.redisKeyPrefix = prefix
            $0.holdTTLSeconds = ttl
        }
        do {
            try await withTestDatabase(database, configure: shared) { a in
                try await withTestDatabase(database, configure: shared) { b in try await body(a, b) }
            }
        } catch {
            await database.drop()
            throw error
        }
        await database.drop()
    }
}
