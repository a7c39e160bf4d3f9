import Foundation
import RESP
import Testing
import TestSupport

@testable import BoxOffice

/// The Redis hold store's cluster layout: a show's keys in one slot, found by hold id through a pointer and by user
/// through an index across shows, swept show by show, and leaving nothing behind once its holds are gone.
@Suite("Seat holds in Redis, show by show")
struct RedisHoldLayoutTests {
    /// A store on the test server with a prefix of its own, and the client to look at its keys with.
    struct Fixture {
        let redis: RedisClient
        let store: RedisSeatHoldStore
        let keys: RedisSeatHoldStore.Keys
        let clock = ManualClock()

        init() throws {
            redis = RedisClient(configuration: try RedisTestServer.configuration())
            keys = RedisSeatHoldStore.Keys(prefix: "bxtest:\(UUID().uuidString):")
            store = RedisSeatHoldStore(redis: redis, clock: clock, prefix: keys.prefix)
        }

        func hold(user: UUID = UUID(), show: UUID, seats: Int = 2, ttl: TimeInterval = 600) -> SeatHold {
            SeatHold(
                id: UUID(), showId: show, userId: user, seatIds: (0..<seats).map { _ in UUID() },
                createdAt: clock.now(), expiresAt: clock.now().addingTimeInterval(ttl))
        }

        func place(_ hold: SeatHold) async throws {
            let outcome = try await store.place(hold, limit: 10)
            #expect(outcome == .held(hold))
        }

        /// Makes `hold` expire now (extended to a millisecond from now), and waits until it has on Redis's clock.
        func expireNow(_ hold: SeatHold) async throws {
            _ = try await store.extend(hold.id, until: clock.now().addingTimeInterval(0.001))
            for _ in 0..<100 where try await redis.get(keys.hold(hold.showId, hold.id)) != nil {
                try await Task.sleep(for: .milliseconds(50))
            }
        }

        /// Every key under the prefix.
        func storedKeys() async throws -> Set<String> {
            var cursor = "0"
            var found: Set<String> = []
            repeat {
                let reply = try await redis.send(["SCAN", cursor, "MATCH", "\(keys.prefix)*", "COUNT", "1000"])
                let parts = reply.array ?? []
                cursor = parts.first?.string ?? "0"
                found.formUnion(parts.dropFirst().first?.array?.compactMap(\.string) ?? [])
            } while cursor != "0"
            return found
        }

        func members(_ set: String) async throws -> Set<String> {
            Set(try await redis.send(["SMEMBERS", set]).array?.compactMap(\.string) ?? [])
        }
    }

    @Test(.enabled(if: RedisTestServer.url != nil, "needs TEST_REDIS_URL"))
    func aHoldIsFoundByIdThroughItsPointer() async throws {
        let f = try Fixture()
        let show = UUID()
        let hold = f.hold(show: show)
        try await f.place(hold)
        #expect(try await f.store.hold(hold.id) == hold)
        #expect(try await f.redis.get(f.keys.pointer(hold.id)) == show.uuidString)
        // Read (and so decoded, and remembered by its payload) before the extend: the extended hold is read after it.
        #expect(try await f.store.holds(forShow: show) == [hold])
        // The pointer lives as long as the hold (and a second), extended with it.
        let extended = try #require(try await f.store.extend(hold.id, until: f.clock.now().addingTimeInterval(300)))
        guard case .milliseconds(let left) = try await f.redis.pttl(f.keys.pointer(hold.id)) else {
            Issue.record("the pointer has no TTL")
            return
        }
        #expect(left > 200_000)
        // A hold whose pointer is lost is not found by id, yet still holds its seats until it expires.
        _ = try await f.redis.delete([f.keys.pointer(hold.id)])
        #expect(try await f.store.hold(hold.id) == nil)
        #expect(try await f.store.holds(forShow: show) == [extended])
        var rival = f.hold(show: show)
        rival.seatIds = hold.seatIds
        #expect(try await f.store.place(rival, limit: 10) == .unavailable(seatIds: hold.seatIds))
        await f.redis.shutdown()
    }

    /// One user's holds at two shows are listed together; released and expired ones drop out of the index.
    @Test(.enabled(if: RedisTestServer.url != nil, "needs TEST_REDIS_URL"))
    func aUsersHoldsAcrossShowsAreListedAndPruned() async throws {
        let f = try Fixture()
        let asha = UUID()
        let (first, second, lapsed) = (
            f.hold(user: asha, show: UUID()), f.hold(user: asha, show: UUID()), f.hold(user: asha, show: UUID())
        )
        let someoneElse = f.hold(show: first.showId)
        for hold in [first, second, lapsed, someoneElse] { try await f.place(hold) }
        #expect(Set(try await f.store.holds(forUser: asha).map(\.id)) == [first.id, second.id, lapsed.id])
        #expect(
            Set(try await f.store.holds(forUser: nil).map(\.id)) == [first.id, second.id, lapsed.id, someoneElse.id])
        #expect(try await f.store.release(first.id) == first)
        try await f.expireNow(lapsed)
        #expect(try await f.store.holds(forUser: asha) == [second])
        #expect(try await f.members(f.keys.userHolds(asha)) == ["\(second.id.uuidString)|\(second.showId.uuidString)"])
        #expect(try await f.store.hold(first.id) == nil)
        #expect(try await f.redis.get(f.keys.pointer(first.id)) == nil)
        await f.redis.shutdown()
    }

    /// The per-user cap is checked inside the place script: twenty parallel two-seat holds by one user at one show
    /// come to ten seats at most.
    @Test(.enabled(if: RedisTestServer.url != nil, "needs TEST_REDIS_URL"))
    func theCapHoldsUnderParallelPlaces() async throws {
        let f = try Fixture()
        let (asha, show) = (UUID(), UUID())
        let outcomes = try await withThrowingTaskGroup(of: HoldOutcome.self) { group in
            for _ in 0..<20 {
                let hold = f.hold(user: asha, show: show)
                group.addTask { try await f.store.place(hold, limit: 10) }
            }
            return try await group.reduce(into: [HoldOutcome]()) { $0.append($1) }
        }
        let held = outcomes.filter { if case .held = $0 { true } else { false } }
        #expect(held.count == 5)
        #expect(try await f.store.holds(forUser: asha).flatMap(\.seatIds).count == 10)
        await f.redis.shutdown()
    }

    /// 1,050 expired holds over five shows: one sweep reports 1,000, then four instances sweeping at once report the
    /// other fifty, each once; afterwards no key of the store is left.
    @Test(.enabled(if: RedisTestServer.url != nil, "needs TEST_REDIS_URL"))
    func expiredHoldsAreSweptOnceEachAndLeaveNothingBehind() async throws {
        let f = try Fixture()
        let shows = (0..<5).map { _ in UUID() }
        let holds = (0..<1050).map { f.hold(show: shows[$0 % 5], seats: 1, ttl: 0.3) }
        try await withThrowingTaskGroup(of: Void.self) { group in
            for slice in stride(from: 0, to: holds.count, by: 210).map({ holds[$0..<$0 + 210] }) {
                group.addTask { for hold in slice { try await f.place(hold) } }
            }
            try await group.waitForAll()
        }
        #expect(try await f.members(f.keys.shows) == Set(shows.map(\.uuidString)))
        // Past every hold's expiry on Redis's clock: each was set before its place returned.
        try await Task.sleep(for: .milliseconds(400))
        let first = try await f.store.sweep()
        #expect(first.count == 1000)
        let rest = try await withThrowingTaskGroup(of: [SeatHold].self) { group in
            for _ in 0..<4 { group.addTask { try await f.store.sweep() } }
            return try await group.reduce(into: [SeatHold]()) { $0 += $1 }
        }
        let reported = first + rest
        #expect(reported.count == 1050)
        #expect(Set(reported.map(\.id)) == Set(holds.map(\.id)))
        // Reported with what a seat map needs.
        let byID = Dictionary(uniqueKeysWithValues: holds.map { ($0.id, $0) })
        #expect(
            reported.allSatisfy { expired in
                byID[expired.id].map {
                    ($0.showId, $0.userId, $0.seatIds) == (expired.showId, expired.userId, expired.seatIds)
                } == true
            })
        #expect(try await f.store.sweep().isEmpty)
        // Pointers lapse with their holds; every index is empty, and so is the set of shows.
        var left = try await f.storedKeys()
        for _ in 0..<50 where !left.isEmpty {
            try await Task.sleep(for: .milliseconds(50))
            left = try await f.storedKeys()
        }
        #expect(left == [])
        await f.redis.shutdown()
    }

    /// A show leaves the shows to sweep only once it has no hold; a place after that brings it back.
    @Test(.enabled(if: RedisTestServer.url != nil, "needs TEST_REDIS_URL"))
    func aShowIsSweptWhileItHasHolds() async throws {
        let f = try Fixture()
        let show = UUID()
        let (brief, kept) = (f.hold(show: show, ttl: 0.05), f.hold(show: show, ttl: 600))
        try await f.place(brief)
        try await f.place(kept)
        try await Task.sleep(for: .milliseconds(100))
        #expect(try await f.store.sweep().map(\.id) == [brief.id])
        #expect(try await f.members(f.keys.shows) == [show.uuidString])
        #expect(try await f.store.release(kept.id) == kept)
        #expect(try await f.store.sweep().isEmpty)
        #expect(try await f.members(f.keys.shows) == [])
        let again = f.hold(show: show, ttl: 0.05)
        try await f.place(again)
        #expect(try await f.members(f.keys.shows) == [show.uuidString])
        try await Task.sleep(for: .milliseconds(100))
        #expect(try await f.store.sweep().map(\.id) == [again.id])
        await f.redis.shutdown()
    }
}
