import Foundation
import Testing
import VaporTesting
@testable import BoxOffice

/// A show on sale with the small test layout, and handy seat lookups.
struct HoldFixture {
    let t: TestApp
    let admin: TestApp.Account
    let screen: ScreenResponse
    let show: ShowResponse
    let seats: [SeatResponse]

    static func make(_ t: TestApp) async throws -> HoldFixture {
        let admin = try await t.admin()
        let screen = try await t.makeScreen(admin)
        let show = try await t.makeShow(admin, movie: try await t.makeMovie(), screen: screen.id).content.decode(
            ShowResponse.self)
        let seats = try await t.request(.GET, "/seats?screen_id=\(screen.id)&limit=100").content.decode(
            Page<SeatResponse>.self
        ).items
        return HoldFixture(t: t, admin: admin, screen: screen, show: show, seats: seats)
    }

    func seat(_ label: String) -> UUID { seats.first { $0.label == label }!.id }

    func hold(_ labels: [String], as account: TestApp.Account) async throws -> TestingHTTPResponse {
        try await t.request(
            .POST, "/seatlocks", json: CreateSeatLockRequest(showId: show.id, seatIds: labels.map(seat)),
            token: account.accessToken)
    }
}

@Suite("Seat holds: /seatlocks")
struct SeatLockTests {
    @Test(arguments: HoldStoreKind.available)
    func holdIsAllOrNothing(kind: HoldStoreKind) async throws {
        try await withTestApp(configure: kind.apply) { t in
            let f = try await HoldFixture.make(t)
            let asha = try await t.customer(), ravi = try await t.customer()
            let first = try await f.hold(["B1", "B2"], as: asha)
            #expect(first.status == .created, "\(first.body.string)")
            let lock = try first.content.decode(SeatLockResponse.self)
            #expect(lock.seats.map(\.label) == ["B1", "B2"])
            #expect(lock.expiresAt == t.clock.now().addingTimeInterval(600))

            let clash = try await f.hold(["B2", "B3"], as: ravi)
            #expect(clash.status == .conflict)
            #expect(clash.problem?.code == "seats_unavailable")
            #expect(clash.problem?.seatIds == [f.seat("B2")])
            // B3 was not taken by the failed request.
            #expect(try await f.hold(["B3", "B4"], as: ravi).status == .created)
        }
    }

    @Test(arguments: HoldStoreKind.available)
    func anotherUsersHoldIsA404ForEveryVerb(kind: HoldStoreKind) async throws {
        try await withTestApp(configure: kind.apply) { t in
            let f = try await HoldFixture.make(t)
            let asha = try await t.customer(), ravi = try await t.customer()
            let lock = try await f.hold(["C1"], as: asha).content.decode(SeatLockResponse.self)
            for method in [HTTPMethod.GET, .PATCH, .DELETE] {
                #expect(
                    try await t.request(method, "/seatlocks/\(lock.lockId)", token: ravi.accessToken).status
                        == .notFound)
            }
            let ravisList = try await t.request(.GET, "/seatlocks", token: ravi.accessToken).content.decode(
                Page<SeatLockResponse>.self)
            #expect(ravisList.total == 0)
            let adminList = try await t.request(.GET, "/seatlocks?show_id=\(f.show.id)", token: f.admin.accessToken)
                .content.decode(Page<SeatLockResponse>.self)
            #expect(adminList.total == 1)
            #expect(try await t.request(.GET, "/seatlocks/\(lock.lockId)", token: asha.accessToken).status == .ok)
            #expect(
                try await t.request(.DELETE, "/seatlocks/\(lock.lockId)", token: f.admin.accessToken).status
                    == .noContent)
            #expect(try await t.request(.GET, "/seatlocks/\(lock.lockId)", token: asha.accessToken).status == .notFound)
            #expect(try await f.hold(["C1"], as: ravi).status == .created)
        }
    }

    @Test func holdsExpireByThemselves() async throws {
        try await withTestApp { t in
            let f = try await HoldFixture.make(t)
            let asha = try await t.customer(), ravi = try await t.customer()
            _ = try await f.hold(["C2"], as: asha)
            t.clock.advance(by: 599)
            #expect(try await f.hold(["C2"], as: ravi).status == .conflict)
            t.clock.advance(by: 2)
            #expect(try await f.hold(["C2"], as: ravi).status == .created)
            let mine = try await t.request(.GET, "/seatlocks", token: asha.accessToken).content.decode(
                Page<SeatLockResponse>.self)
            #expect(mine.total == 0)
        }
    }

    @Test(arguments: HoldStoreKind.available)
    func extensionIsBoundedToTwiceTheTTL(kind: HoldStoreKind) async throws {
        try await withTestApp(configure: kind.apply) { t in
            let f = try await HoldFixture.make(t)
            let asha = try await t.customer()
            let lock = try await f.hold(["C3"], as: asha).content.decode(SeatLockResponse.self)
            t.clock.advance(by: 300)
            let extended = try await t.request(.PATCH, "/seatlocks/\(lock.lockId)", token: asha.accessToken)
            #expect(
                try extended.content.decode(SeatLockResponse.self).expiresAt == lock.createdAt.addingTimeInterval(900))
            t.clock.advance(by: 500)
            let capped = try await t.request(.PATCH, "/seatlocks/\(lock.lockId)", token: asha.accessToken)
            #expect(
                try capped.content.decode(SeatLockResponse.self).expiresAt == lock.createdAt.addingTimeInterval(1200))
            let refused = try await t.request(.PATCH, "/seatlocks/\(lock.lockId)", token: asha.accessToken)
            #expect(refused.status == .conflict)
            #expect(refused.problem?.code == "hold_extension_limit")
            guard kind == .inProcess else { return }  // Redis expires by real time
            t.clock.advance(by: 401)
            #expect(
                try await t.request(.PATCH, "/seatlocks/\(lock.lockId)", token: asha.accessToken).status == .notFound)
        }
    }

    @Test(arguments: HoldStoreKind.available)
    func perUserCapIsTenSeatsPerShow(kind: HoldStoreKind) async throws {
        try await withTestApp(configure: kind.apply) { t in
            let f = try await HoldFixture.make(t)
            let asha = try await t.customer()
            #expect(try await f.hold((1...6).map { "B\($0)" }, as: asha).status == .created)
            #expect(try await f.hold((1...4).map { "C\($0)" }, as: asha).status == .created)
            let over = try await f.hold(["C5"], as: asha)
            #expect(over.status == .unprocessableEntity)
            #expect(over.problem?.errors?.first?.field == "seat_ids")
        }
    }

    @Test func badSeatsAre422AndClosedShowsAre409() async throws {
        try await withTestApp { t in
            let f = try await HoldFixture.make(t)
            let asha = try await t.customer()
            let other = try await t.makeScreen(f.admin)
            let foreignSeat = try await t.request(.GET, "/seats?screen_id=\(other.id)&limit=1").content.decode(
                Page<SeatResponse>.self
            ).items[0]
            let cases: [[UUID]] = [[foreignSeat.id], [f.seat("A10")], [f.seat("B1"), f.seat("B1")], [], [UUID()]]
            for seatIDs in cases {
                let response = try await t.request(
                    .POST, "/seatlocks",
                    json: CreateSeatLockRequest(showId: f.show.id, seatIds: seatIDs), token: asha.accessToken)
                #expect(response.status == .unprocessableEntity, "\(seatIDs): \(response.body.string)")
            }
            #expect(
                try await t.request(
                    .POST, "/seatlocks", json: ["show_id": f.show.id.uuidString], token: asha.accessToken
                )
                .status == .unprocessableEntity)
            #expect(
                try await t.request(
                    .POST, "/seatlocks", json: CreateSeatLockRequest(showId: UUID(), seatIds: [f.seat("B1")]),
                    token: asha.accessToken
                ).status == .notFound)
            #expect(
                try await t.request(
                    .POST, "/seatlocks", json: CreateSeatLockRequest(showId: f.show.id, seatIds: [f.seat("B1")])
                )
                .status == .unauthorized)

            t.clock.set(f.show.startsAt)
            let late = try await t.login(asha.email, asha.password)
            let started = try await f.hold(["B1"], as: late)
            #expect(started.problem?.code == "show_not_on_sale")
            t.clock.set(f.show.startsAt.addingTimeInterval(-3600))
            let admin = try await t.login(f.admin.email, f.admin.password)
            _ = try await t.request(.PUT, "/shows/\(f.show.id)/cancel", token: admin.accessToken)
            #expect(try await f.hold(["B1"], as: late).problem?.code == "show_not_on_sale")
        }
    }

    @Test(arguments: HoldStoreKind.available)
    func seatMapShowsStatusesCountsPricesAndETag(kind: HoldStoreKind) async throws {
        try await withTestApp(configure: kind.apply) { t in
            let f = try await HoldFixture.make(t)
            let asha = try await t.customer(), ravi = try await t.customer()
            _ = try await f.hold(["C1", "C2"], as: asha)
            _ = try await f.hold(["C3"], as: ravi)
            let response = try await t.request(.GET, "/shows/\(f.show.id)/availability", token: asha.accessToken)
            #expect(response.status == .ok)
            let map = try response.content.decode(AvailabilityResponse.self)
            let status = Dictionary(uniqueKeysWithValues: map.seats.map { ($0.label, $0.status) })
            #expect(status["C1"] == "held_by_you" && status["C2"] == "held_by_you")
            #expect(status["C3"] == "held")
            #expect(status["A10"] == "unavailable")
            #expect(status["B1"] == "available")
            #expect(map.counts == ["available": 24, "held": 1, "held_by_you": 2, "booked": 0, "unavailable": 1])
            #expect(map.categories.map(\.priceMinor) == [15000, 25000])
            #expect(map.maxSeatsPerCustomer == 10)

            let anonymous = try await t.request(.GET, "/shows/\(f.show.id)/availability").content.decode(
                AvailabilityResponse.self)
            #expect(anonymous.counts["held"] == 3 && anonymous.counts["held_by_you"] == 0)

            let etag = try #require(response.headers.first(name: .eTag))
            let same = try await t.request(
                .GET, "/shows/\(f.show.id)/availability", token: asha.accessToken,
                headers: ["If-None-Match": etag])
            #expect(same.status == .notModified)
            _ = try await f.hold(["B5"], as: ravi)
            let changed = try await t.request(
                .GET, "/shows/\(f.show.id)/availability", token: asha.accessToken,
                headers: ["If-None-Match": etag])
            #expect(changed.status == .ok)
        }
    }

    /// A seat map's ETag names its bytes without hashing them (the show part's fingerprint, the seats' states), and a
    /// caller who sees what the last one saw gets the bytes written for the last one: both must still follow every
    /// change, the caller's own view, and the catalog.
    @Test(arguments: HoldStoreKind.available)
    func aSeatMapIsWrittenOncePerStateAndFollowsEveryChange(kind: HoldStoreKind) async throws {
        try await withTestApp(configure: kind.apply) { t in
            let f = try await HoldFixture.make(t)
            let asha = try await t.customer(), ravi = try await t.customer()
            let path = "/shows/\(f.show.id)/availability"
            func map(_ account: TestApp.Account? = nil) async throws -> (etag: String, body: String) {
                let response = try await t.request(.GET, path, token: account?.accessToken)
                #expect(response.status == .ok)
                return (try #require(response.headers.first(name: .eTag)), response.body.string)
            }
            let first = try await map(), again = try await map()
            #expect(again.etag == first.etag && again.body == first.body)

            _ = try await f.hold(["C1"], as: asha)
            let anonymous = try await map(), mine = try await map(asha), theirs = try await map(ravi)
            #expect(Set([first.etag, anonymous.etag, mine.etag]).count == 3, "a hold, and whose it is, change the tag")
            #expect(theirs.etag == anonymous.etag && theirs.body == anonymous.body)
            func counts(_ body: String) throws -> [String: Int] {
                try JSONDecoder.api.decode(AvailabilityResponse.self, from: Data(body.utf8)).counts
            }
            #expect(try counts(mine.body)["held_by_you"] == 1 && counts(anonymous.body)["held_by_you"] == 0)
            #expect(try await map(asha).body == mine.body)

            // The movie's title is in the map's show part: the catalog change writes a new map with a new tag.
            _ = try await t.request(
                .PATCH, "/movies/\(f.show.movie.id)", json: ["title": "Renamed"], token: f.admin.accessToken)
            let renamed = try await map()
            #expect(renamed.etag != anonymous.etag && renamed.body.contains("Renamed"))
        }
    }

    @Test(arguments: HoldStoreKind.available)
    func bestAvailableHoldsTheChosenBlock(kind: HoldStoreKind) async throws {
        try await withTestApp(configure: kind.apply) { t in
            let f = try await HoldFixture.make(t)
            let asha = try await t.customer()
            let best = try await t.request(.GET, "/shows/\(f.show.id)/best-available?count=3").content.decode(
                BestAvailableResponse.self)
            #expect(best.seats.count == 3)
            #expect(Set(best.seats.map(\.row)).count == 1)
            let held = try await t.request(
                .POST, "/seatlocks",
                json: CreateSeatLockRequest(
                    showId: f.show.id, seatIds: nil,
                    bestAvailable: .init(count: 3, categoryId: nil, accessible: nil)), token: asha.accessToken)
            #expect(held.status == .created)
            #expect(try held.content.decode(SeatLockResponse.self).seatIds == best.seats.map(\.id))
            let accessible = try await t.request(.GET, "/shows/\(f.show.id)/best-available?count=2&accessible=true")
                .content.decode(BestAvailableResponse.self)
            #expect(accessible.seats.map(\.label) == ["A1", "A2"])
            let none = try await t.request(.GET, "/shows/\(f.show.id)/best-available?count=9")
            #expect(none.status == .conflict)
            #expect(none.problem?.code == "no_block_available")
        }
    }

    @Test func cleanupIsAdminOnlyAndSweepsExpiredHolds() async throws {
        try await withTestApp { t in
            let f = try await HoldFixture.make(t)
            let asha = try await t.customer()
            _ = try await f.hold(["B1"], as: asha)
            _ = try await f.hold(["B2"], as: asha)
            #expect(try await t.request(.POST, "/seatlocks/cleanup", token: asha.accessToken).status == .forbidden)
            t.clock.advance(by: 601)
            let swept = try await t.request(.POST, "/seatlocks/cleanup", token: f.admin.accessToken)
            #expect(try swept.content.decode(SeatLockCleanupResponse.self).removed == 2)
        }
    }

    @Test func countersTrackHoldsAndConflicts() async throws {
        let metrics = InMemoryMetrics()
        try await withTestApp(services: { $0.metrics = metrics }) { t in
            let f = try await HoldFixture.make(t)
            let asha = try await t.customer(), ravi = try await t.customer()
            _ = try await f.hold(["B1"], as: asha)
            _ = try await f.hold(["B1"], as: ravi)
            _ = try await f.hold(["B1"], as: ravi)
            #expect(metrics.counter("seat_holds_placed_total") == 1)
            #expect(metrics.counter("seat_lock_conflicts_total") == 2)
        }
    }
}

extension CreateSeatLockRequest {
    init(showId: UUID, seatIds: [UUID]) {
        self.init(showId: showId, seatIds: seatIds, bestAvailable: nil)
    }
}
