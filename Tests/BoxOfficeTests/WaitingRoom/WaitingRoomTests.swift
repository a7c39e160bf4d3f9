import Foundation
import Testing
import VaporTesting

@testable import BoxOffice

/// Waiting rooms (issue 30), in process and (with `TEST_REDIS_URL`) in Redis: settings for admins, one place per
/// account, random places before the sale and first come first served after, admission in queue order at the rate,
/// and holds refused without this account's admission while the room is active.
@Suite("Waiting room")
struct WaitingRoomTests {
    static var stores: [String?] { [nil] + (RedisTestServer.url.map { [$0] } ?? []) }

    func withRoomApp(redis: String?, _ test: (BookingFixture, TestApp.Account) async throws -> Void) async throws {
        try await withTestApp(configure: {
            $0.accessTokenLifetime = 4 * 86_400
            if let redis {
                $0.redisURL = RedisURL(redis)
                $0.redisKeyPrefix = "bx-test-\(UUID().uuidString.prefix(8)):"
            }
        }) { t in
            let f = try await BookingFixture.make(t)
            try await test(f, try await t.admin())
        }
    }

    func setRoom(
        _ f: BookingFixture, _ admin: TestApp.Account, opensIn: TimeInterval, onSaleIn: TimeInterval, rate: Int
    )
        async throws -> TestingHTTPResponse
    {
        let now = f.t.clock.now()
        return try await f.t.request(
            .PUT, "/shows/\(f.show.id)/waiting-room",
            json: WaitingRoomRequest(
                opensAt: now.addingTimeInterval(opensIn), onSaleAt: now.addingTimeInterval(onSaleIn),
                admitPerMinute: rate, admissionMinutes: 10),
            token: admin.accessToken)
    }

    func join(_ f: BookingFixture, _ account: TestApp.Account) async throws -> TestingHTTPResponse {
        try await f.t.request(.POST, "/shows/\(f.show.id)/queue", token: account.accessToken)
    }

    func hold(_ f: BookingFixture, _ seat: String, _ account: TestApp.Account, admission: String?) async throws
        -> TestingHTTPResponse
    {
        try await f.t.request(
            .POST, "/seatlocks",
            json: CreateSeatLockRequest(showId: f.show.id, seatIds: [f.seats[seat]!], admission: admission),
            token: account.accessToken)
    }

    @Test(arguments: stores) func settingsAreForAdminsAndChecked(redis: String?) async throws {
        try await withRoomApp(redis: redis) { f, admin in
            let customer = try await f.t.customer()
            let now = f.t.clock.now()
            let body = WaitingRoomRequest(
                opensAt: now, onSaleAt: now.addingTimeInterval(60), admitPerMinute: 60, admissionMinutes: 10)
            let path = "/shows/\(f.show.id)/waiting-room"
            #expect(try await f.t.request(.PUT, path, json: body, token: customer.accessToken).status == .forbidden)
            #expect(try await f.t.request(.GET, path, token: admin.accessToken).status == .notFound)
            let bad = try await f.t.request(
                .PUT, path,
                json: WaitingRoomRequest(
                    opensAt: f.show.startsAt.addingTimeInterval(120), onSaleAt: f.show.startsAt.addingTimeInterval(60),
                    admitPerMinute: 0, admissionMinutes: 500),
                token: admin.accessToken)
            #expect(bad.status == .unprocessableEntity)
            #expect(
                Set(bad.problem?.errors?.map(\.field) ?? [])
                    == ["opens_at", "on_sale_at", "admit_per_minute", "admission_minutes"])
            #expect(try await join(f, customer).status == .notFound)  // no room yet
            let set = try await f.t.request(.PUT, path, json: body, token: admin.accessToken)
            #expect(set.status == .ok, "\(set.body.string)")
            let room = try set.content.decode(WaitingRoomResponse.self)
            #expect(room.isActive && room.queueLength == 0 && room.admitted == 0)
            #expect(try await f.t.request(.DELETE, path, token: admin.accessToken).status == .noContent)
            #expect(try await f.t.request(.GET, path, token: admin.accessToken).status == .notFound)
        }
    }

    /// The fuzzer's request (CI, schemathesis seed 1162462184) answered 400 "not valid JSON": valid JSON whose
    /// `on_sale_at` has an offset of +18:47 and a year of 336, unknown keys with odd names and a huge number. A value
    /// the server cannot take is a 422 naming the field, never a claim that the JSON is broken.
    @Test func aStrangeButValidBodyIsNeverCalledMalformed() async throws {
        try await withRoomApp(redis: nil) { f, admin in
            let body = #"""
                {"]\u0091\u00f3\u0018\udb14\udff6": [], "\b": {}, "\u00d1\ud8a7\udf2e\ud8f3\udf3e\u008d\ud858\udc13\u0085\u0098xW\u00a6R\u00c1": -2.9003743834982404e+295, "on_sale_at": "0336-06-02T08:54:37.794+18:47", "admission_minutes": 12, "admit_per_minute": 14549.0, "opens_at": "2026-12-07T20:57:26Z"}
                """#
            let response = try await f.t.request(
                .PUT, "/shows/\(f.show.id)/waiting-room", token: admin.accessToken, rawBody: body)
            #expect(response.status == .unprocessableEntity, "\(response.body.string)")
            #expect(response.problem?.code == "validation_failed")
            #expect(response.body.string.contains("on_sale_at"))
        }
    }

    /// Before the queue opens: 409. Joining twice gives the same place; another account cannot read it. Holds need
    /// the admission: none before the sale, then only with this account's token.
    @Test(arguments: stores) func admissionFollowsTheQueueAtTheRateAndGatesHolds(redis: String?) async throws {
        try await withRoomApp(redis: redis) { f, admin in
            #expect(try await setRoom(f, admin, opensIn: 60, onSaleIn: 600, rate: 60).status == .ok)
            var customers: [TestApp.Account] = []
            for _ in 0..<5 { customers.append(try await f.t.customer()) }
            let early = try await join(f, customers[0])
            #expect(early.status == .conflict && early.problem?.code == "queue_not_open")

            f.t.clock.advance(by: 120)  // the queue is open, the sale is not
            var entries: [QueueEntryResponse] = []
            for customer in customers {
                let answer = try await join(f, customer)
                #expect(answer.status == .ok, "\(answer.body.string)")
                entries.append(try answer.content.decode(QueueEntryResponse.self))
            }
            let again = try await join(f, customers[0]).content.decode(QueueEntryResponse.self)
            #expect(again.entryId == entries[0].entryId)
            #expect(
                try await f.t.request(.GET, "/queue/\(entries[0].entryId)", token: customers[1].accessToken).status
                    == .notFound)
            #expect(entries.map(\.queueLength) == [1, 2, 3, 4, 5])
            #expect(entries.allSatisfy { $0.state == .waiting && $0.admission == nil })

            // Before the sale nobody may hold, queued or not.
            let refused = try await hold(f, "B5", customers[0], admission: nil)
            #expect(refused.status == .forbidden && refused.problem?.code == "not_admitted")

            // 60 a minute: at the sale + 2 s, the first two places are admitted, in queue order.
            f.t.clock.set(entries[0].onSaleAt.addingTimeInterval(2))
            var byPosition: [Int: (TestApp.Account, QueueEntryResponse)] = [:]
            for (index, customer) in customers.enumerated() {
                let now = try await f.t.request(
                    .GET, "/queue/\(entries[index].entryId)", token: customer.accessToken
                ).content.decode(QueueEntryResponse.self)
                byPosition[now.position] = (customer, now)
            }
            #expect(Set(byPosition.keys) == Set(1...5))
            #expect(byPosition.filter { $0.value.1.state == .admitted }.map(\.key).sorted() == [1, 2])
            #expect(byPosition[3]?.1.ahead == 0 && byPosition[5]?.1.ahead == 2)
            #expect(byPosition[5]?.1.estimatedWaitSeconds == 3)

            let (first, firstEntry) = byPosition[1]!
            let (third, _) = byPosition[3]!
            // The admission works for its account and show only.
            #expect(try await hold(f, "B5", third, admission: firstEntry.admission).status == .forbidden)
            #expect(try await hold(f, "B5", third, admission: nil).status == .forbidden)
            let forged = firstEntry.admission.map(tampered)
            #expect(try await hold(f, "B5", first, admission: forged).status == .forbidden)
            let held = try await hold(f, "B5", first, admission: firstEntry.admission)
            #expect(held.status == .created, "\(held.body.string)")

            // After admission_minutes the admission lapses.
            f.t.clock.advance(by: 10 * 60)
            #expect(try await hold(f, "B6", first, admission: firstEntry.admission).status == .forbidden)
            let lapsed = try await f.t.request(
                .GET, "/queue/\(firstEntry.entryId)", token: first.accessToken
            ).content.decode(QueueEntryResponse.self)
            #expect(lapsed.state == .expired)

            let room = try await f.t.request(.GET, "/shows/\(f.show.id)/waiting-room", token: admin.accessToken)
                .content.decode(WaitingRoomResponse.self)
            #expect(room.queueLength == 5 && room.admitted == 5)
        }
    }

    /// One room for every scheduled show of a movie on a date, all or none; the seat map says a show has one.
    @Test func aMovieDatePutsEveryShowBehindARoom() async throws {
        try await withRoomApp(redis: nil) { f, admin in
            let second = try await f.t.makeShow(
                admin, movie: f.show.movie.id, screen: f.show.screen.id, date: f.show.showDate, time: "18:00")
            #expect(second.status == .created, "\(second.body.string)")
            let now = f.t.clock.now()
            let body = MovieWaitingRoomRequest(
                showDate: f.show.showDate, opensAt: now, onSaleAt: now.addingTimeInterval(60), admitPerMinute: 120,
                admissionMinutes: 5)
            let path = "/movies/\(f.show.movie.id)/waiting-room"
            let set = try await f.t.request(.PUT, path, json: body, token: admin.accessToken)
            #expect(set.status == .ok, "\(set.body.string)")
            #expect(try set.content.decode(WaitingRoomList.self).rooms.count == 2)
            let map = try await f.t.request(.GET, "/shows/\(f.show.id)/availability").content.decode(
                AvailabilityResponse.self)
            #expect(
                map.waitingRoom?.onSaleAt.timeIntervalSince1970.rounded()
                    == body.onSaleAt.timeIntervalSince1970.rounded())
            // A date without shows, or a sale after a show starts: 422, nothing set.
            var none = body
            none.showDate = "2030-01-01"
            #expect(
                try await f.t.request(.PUT, path, json: none, token: admin.accessToken).status == .unprocessableEntity)
            #expect(
                try await f.t.request(.PUT, path, json: body, token: try await f.t.customer().accessToken).status
                    == .forbidden)
        }
    }

    /// After the sale opens it is first come, first served: later joiners stand behind earlier ones, in order.
    @Test(arguments: stores) func afterTheSaleOpensPlacesAreInArrivalOrder(redis: String?) async throws {
        try await withRoomApp(redis: redis) { f, admin in
            #expect(try await setRoom(f, admin, opensIn: 0, onSaleIn: 10, rate: 1).status == .ok)
            f.t.clock.advance(by: 20)
            var positions: [Int] = []
            for _ in 0..<6 {
                let customer = try await f.t.customer()
                f.t.clock.advance(by: 0.01)
                positions.append(try await join(f, customer).content.decode(QueueEntryResponse.self).position)
            }
            #expect(positions == Array(1...6))
        }
    }
}

/// `token` with its last hex digit changed, so it always differs from `token`. (Writing "00" over the last two
/// digits, as this test once did, left one token in 256 unchanged: stop 36's CI held the seat with the "forged" one.)
private func tampered(_ token: String) -> String {
    String(token.dropLast()) + (token.last == "0" ? "1" : "0")
}

@Suite("Admission tokens") struct AdmissionTokenTests {
    @Test func aTokenWithAnyOtherLastDigitIsRefused() throws {
        let tokens = AdmissionToken(secret: "test-secret")
        let show = UUID()
        let user = UUID()
        let now = Date(timeIntervalSince1970: 1_800_000_000)
        // An expiry whose MAC ends in "00": the case the old forgery did not change.
        let expires = try #require(
            (1...5_000).lazy.map { now.addingTimeInterval(TimeInterval(60 + $0)) }
                .first { tokens.issue(show: show, user: user, expires: $0).hasSuffix("00") })
        let token = tokens.issue(show: show, user: user, expires: expires)
        #expect(String(token.dropLast(2)) + "00" == token)
        #expect(tokens.admits(token, show: show, user: user, at: now))
        #expect(tampered(token) != token)
        #expect(!tokens.admits(tampered(token), show: show, user: user, at: now))
        for digit in "0123456789abcdef" where digit != token.last {
            #expect(!tokens.admits(String(token.dropLast()) + String(digit), show: show, user: user, at: now))
        }
        #expect(!tokens.admits(token, show: show, user: UUID(), at: now))
        #expect(!tokens.admits(token, show: UUID(), user: user, at: now))
        #expect(!tokens.admits(token, show: show, user: user, at: expires))
    }
}
