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
            try await a.listening { portA in
                try await b.listening { portB in
                    try await Self.acrossInstances(f, asha: asha, viewer: viewer, a: (a, portA), b: (b, portB))
                }
            }
        }
    }

    /// Both instances listen on their own ports. The hold is made over HTTP on A, then booked and paid on A; the
    /// sockets on B hear all of it within a second (and a socket on A hears it too).
    private static func acrossInstances(
        _ f: PaymentFixture, asha: TestApp.Account, viewer: TestApp.Account, a: (TestApp, Int), b: (TestApp, Int)
    ) async throws {
        let group = b.0.app.eventLoopGroup
        let map = try await TestSocket.connect(port: b.1, token: viewer.accessToken, on: group)
        let mine = try await TestSocket.connect(port: b.1, token: asha.accessToken, on: group)
        let mapOnA = try await TestSocket.connect(port: a.1, token: viewer.accessToken, on: group)
        try await map.subscribe(f.show.id)
        try await mapOnA.subscribe(f.show.id)
        let b5 = f.booking.seats["B5"]!
        let held = try await a.0.app.client.post("http://127.0.0.1:\(a.1)/seatlocks") { request in
            request.headers.bearerAuthorization = BearerAuthorization(token: asha.accessToken)
            try request.content.encode(CreateSeatLockRequest(showId: f.show.id, seatIds: [b5]))
        }
        #expect(held.status == .created)
        #expect(try await map.next("seats", within: 1, where: JSONValue.seatEvent(f.show.id, "held", b5)) != nil)
        #expect(try await mapOnA.next("seats", where: JSONValue.seatEvent(f.show.id, "held", b5)) != nil)
        let lock = try held.content.decode(SeatLockResponse.self)
        let created = try await f.booking.book(lock.lockId, asha)
        #expect(created.status == .created, "\(created.body.string)")
        let booking = try created.content.decode(BookingResponse.self)
        let paid = try await f.simulate(try await f.startPayment(booking, asha), "succeeded", asha)
        #expect(paid.status == .ok, "\(paid.body.string)")
        #expect(try await map.next("seats", within: 1, where: JSONValue.seatEvent(f.show.id, "booked", b5)) != nil)
        let pushed = try await mine.next("notification", within: 1) {
            $0["notification"]?["type"]?.string == "booking_confirmed"
        }
        #expect(pushed?["notification"]?["data"]?["booking_id"]?.string == booking.id.uuidString)
        // B drains the outbox too: the notification is not stored or pushed twice.
        _ = try await b.0.app.boxOffice.outbox.deliverDue(on: b.0.app.db)
        let page = try await b.0.request(.GET, "/notifications", token: asha.accessToken)
        #expect(try page.content.decode(Page<NotificationResponse>.self).total == 1)
        try await Task.sleep(for: .milliseconds(200))
        #expect(!mine.messages.contains { $0["type"]?.string == "notification" })
        for socket in [map, mine, mapOnA] { await socket.close() }
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
