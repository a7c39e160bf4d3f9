import Crypto
import Foundation
import Testing
import VaporTesting
@testable import BoxOffice

/// The test cinema and its show tomorrow in Audi 1 (Classic ₹90, Prime ₹180, Recliner ₹350).
struct BookingFixture {
    let t: TestApp
    let show: ShowResponse
    let seats: [String: UUID]
    let food: [String: UUID]

    /// The test cinema (`CinemaBuilder`) with its one show `daysAhead` days ahead.
    static func make(_ t: TestApp, daysAhead: Int = 1) async throws -> BookingFixture {
        let show = try await CinemaBuilder.build(t, daysAhead: daysAhead)
        let seats = try await t.request(.GET, "/shows/\(show.id)/availability").content.decode(
            AvailabilityResponse.self
        )
        .seats
        let food = try await t.request(.GET, "/food-items?limit=100").content.decode(Page<FoodItemSummary>.self).items
        return BookingFixture(
            t: t, show: show, seats: Dictionary(uniqueKeysWithValues: seats.map { ($0.label, $0.id) }),
            food: Dictionary(uniqueKeysWithValues: food.map { ($0.name, $0.id) }))
    }

    func hold(_ labels: [String], _ account: TestApp.Account, show: UUID? = nil) async throws -> SeatLockResponse {
        let response = try await t.request(
            .POST, "/seatlocks",
            json: CreateSeatLockRequest(showId: show ?? self.show.id, seatIds: labels.map { seats[$0]! }),
            token: account.accessToken)
        #expect(response.status == .created, "\(response.body.string)")
        return try response.content.decode(SeatLockResponse.self)
    }

    func book(
        _ lock: UUID, _ account: TestApp.Account, foods: [(String, Int)] = [], code: String? = nil,
        key: String? = nil
    ) async throws -> TestingHTTPResponse {
        let body = CreateBookingRequest(
            showId: show.id, lockId: lock,
            foods: foods.map { .init(foodId: food[$0.0] ?? UUID(), quantity: $0.1) }, promoCode: code)
        return try await t.request(
            .POST, "/bookings", json: body, token: account.accessToken,
            headers: key.map { ["Idempotency-Key": $0] } ?? [:])
    }
}

struct FoodItemSummary: Content {
    var id: UUID
    var name: String
}

@Suite("Bookings")
struct BookingTests {
    /// Classic B5 (₹90, GST 12 %) + Prime F5 (₹180, GST 18 %) + 3 × Caramel Popcorn (₹340, GST 5 %),
    /// WELCOME10 (10 % capped at ₹100):
    ///   subtotal 9000 + 18000 + 102000 = 129000; 10 % = 12900 → capped 10000
    ///   shares ⌊10000·9000/129000⌋ = 697, ⌊…18000…⌋ = 1395, ⌊…102000…⌋ = 7906, remainder 2 → popcorn 7908
    ///   taxable 8303, 16605, 94092 = 119000
    ///   CGST = SGST: 8303·6 % = 498.18 → 498; 16605·9 % = 1494.45 → 1494; 94092·2.5 % = 2352.3 → 2352; = 4344
    ///   total 119000 + 4344 + 4344 = 127688 (₹1276.88)
    @Test func bookingMatchesTheHandCalculationToThePaisa() async throws {
        try await withTestApp { t in
            let f = try await BookingFixture.make(t)
            let asha = try await t.customer()
            let lock = try await f.hold(["B5", "F5"], asha)
            let response = try await f.book(
                lock.lockId, asha, foods: [("Caramel Popcorn (Large)", 3)], code: "welcome10")
            #expect(response.status == .created, "\(response.body.string)")
            let booking = try response.content.decode(BookingResponse.self)
            #expect(booking.status == .pending)
            #expect(booking.reference.range(of: "^BX-[2-9A-HJ-NP-Z]{6}$", options: .regularExpression) != nil)
            #expect(booking.promoCode == "WELCOME10")
            let b = booking.breakdown
            #expect(
                [b.seatsMinor, b.foodMinor, b.subtotalMinor, b.discountMinor, b.taxableMinor] as [Int] == [
                    27000, 102000, 129000, 10000, 119000,
                ])
            #expect([b.cgstMinor, b.sgstMinor, b.totalMinor] as [Int] == [4344, 4344, 127688])
            let seats = Dictionary(uniqueKeysWithValues: booking.seats.map { ($0.label, $0) })
            #expect(
                seats["B5"]?.priceMinor == 9000 && seats["B5"]?.discountMinor == 697 && seats["B5"]?.cgstMinor == 498)
            #expect(seats["B5"]?.cgstPercent == Percent(basisPoints: 600))
            #expect(
                seats["F5"]?.discountMinor == 1395 && seats["F5"]?.cgstMinor == 1494
                    && seats["F5"]?.sgstPercent == Percent(basisPoints: 900))
            #expect(booking.foods.first?.discountMinor == 7908 && booking.foods.first?.cgstMinor == 2352)
            #expect(booking.paymentDueBy == t.clock.now().addingTimeInterval(900))

            // The hold is consumed and the seats show as booked.
            #expect(try await t.request(.GET, "/seatlocks/\(lock.lockId)", token: asha.accessToken).status == .notFound)
            let map = try await t.request(.GET, "/shows/\(f.show.id)/availability").content.decode(
                AvailabilityResponse.self)
            #expect(map.seats.filter { $0.status == "booked" }.map(\.label).sorted() == ["B5", "F5"])
            let logs = try await t.request(.GET, "/bookings/\(booking.id)/logs", token: asha.accessToken).content
                .decode(BookingLogList.self)
            #expect(
                logs.items.map(\.to) == [.pending] && logs.items.first?.actor == .user && logs.items.first?.from == nil)
            // Nobody else can hold them now.
            let ravi = try await t.customer()
            let taken = try await t.request(
                .POST, "/seatlocks", json: CreateSeatLockRequest(showId: f.show.id, seatIds: [f.seats["B5"]!]),
                token: ravi.accessToken)
            #expect(taken.problem?.code == "seats_unavailable")
        }
    }

    @Test func everyUnhappyPathIsAClear4xx() async throws {
        try await withTestApp { t in
            let f = try await BookingFixture.make(t)
            let asha = try await t.customer(), ravi = try await t.customer()
            #expect(try await f.book(UUID(), asha).problem?.code == "hold_expired")
            let ravisLock = try await f.hold(["C1"], ravi)
            #expect(try await f.book(ravisLock.lockId, asha).status == .notFound)
            let lock = try await f.hold(["C2", "C3"], asha)
            let badFood = try await f.book(lock.lockId, asha, foods: [("Nonexistent", 1)])
            #expect(badFood.problem?.errors?.first?.field == "foods[0].food_id")
            for quantity in [0, 21] {
                let response = try await f.book(lock.lockId, asha, foods: [("Cola (500 ml)", quantity)])
                #expect(response.problem?.errors?.first?.field == "foods[0].quantity")
            }
            let badCode = try await f.book(lock.lockId, asha, code: "NOPE")
            #expect(badCode.problem?.code == "invalid_code")
            let smallOrder = try await f.book(lock.lockId, asha, code: "FLAT50")
            #expect(smallOrder.problem?.code == "below_min_subtotal")
            let wrongShow = try await t.request(
                .POST, "/bookings",
                json: CreateBookingRequest(
                    showId: UUID(), lockId: lock.lockId,
                    foods: nil, promoCode: nil), token: asha.accessToken)
            #expect(wrongShow.status == .unprocessableEntity)
            #expect(try await Booking.query(on: t.app.db).count() == 0)

            t.clock.advance(by: 601)
            let late = try await t.login(asha.email, asha.password)
            #expect(try await f.book(lock.lockId, late).problem?.code == "hold_expired")

            let again = try await f.hold(["C2"], late)
            let admin = try await t.login("admin@boxoffice.local", "admin-demo-password")
            _ = try await t.request(.PUT, "/shows/\(f.show.id)/cancel", token: admin.accessToken)
            #expect(try await f.book(again.lockId, late).problem?.code == "show_not_on_sale")
            #expect(
                try await t.request(.POST, "/bookings", json: ["show_id": f.show.id.uuidString]).status == .unauthorized
            )
        }
    }

    @Test func unavailableFoodIsRefusedAndABookedShowCannotBeRescheduled() async throws {
        try await withTestApp { t in
            let f = try await BookingFixture.make(t)
            let chai = try #require(try await FoodItem.find(f.food["Masala Chai"], on: t.app.db))
            chai.isAvailable = false
            try await chai.save(on: t.app.db)
            let asha = try await t.customer()
            let lock = try await f.hold(["H1"], asha)
            let refused = try await f.book(lock.lockId, asha, foods: [("Masala Chai", 1)])
            #expect(refused.problem?.errors?.first?.field == "foods[0].food_id")
            #expect(try await f.book(lock.lockId, asha).status == .created)

            let admin = try await t.login("admin@boxoffice.local", "admin-demo-password")
            let moved = try await t.request(
                .PATCH, "/shows/\(f.show.id)", json: ["show_time": "09:00"], token: admin.accessToken)
            #expect(moved.status == .conflict)
            #expect(moved.problem?.code == "show_has_bookings")
        }
    }

    @Test func idempotencyKeyReplaysAndRefusesAnotherBody() async throws {
        try await withTestApp { t in
            let f = try await BookingFixture.make(t)
            let asha = try await t.customer()
            let lock = try await f.hold(["D1"], asha)
            let first = try await f.book(lock.lockId, asha, key: "order-42")
            #expect(first.status == .created)
            let replay = try await f.book(lock.lockId, asha, key: "order-42")
            #expect(replay.status == .created)
            #expect(try replay.content.decode(BookingResponse.self).id == first.content.decode(BookingResponse.self).id)
            #expect(replay.headers.first(name: "Idempotent-Replayed") == "true")
            let other = try await f.book(lock.lockId, asha, foods: [("Masala Chai", 1)], key: "order-42")
            #expect(other.problem?.code == "idempotency_key_reused")
            #expect(try await Booking.query(on: t.app.db).count() == 1)
            // Without a key too a retry gets the booking: a hold books once.
            let retry = try await f.book(lock.lockId, asha)
            #expect(try retry.content.decode(BookingResponse.self).id == first.content.decode(BookingResponse.self).id)
            #expect(try await Booking.query(on: t.app.db).count() == 1)
        }
    }

    @Test func unpaidBookingExpiresAndFreesItsSeats() async throws {
        try await withTestApp { t in
            let f = try await BookingFixture.make(t)
            let asha = try await t.customer()
            let booking = try await f.book(try await f.hold(["E1", "E2"], asha).lockId, asha).content.decode(
                BookingResponse.self)
            t.clock.advance(by: 901)
            let late = try await t.login(asha.email, asha.password)
            let read = try await t.request(.GET, "/bookings/\(booking.id)", token: late.accessToken).content.decode(
                BookingResponse.self)
            #expect(read.status == .expired)
            // Reads never write: the row is still PENDING until the expiry job (or a write that needs it) runs.
            #expect(try await Booking.find(booking.id, on: t.app.db)?.status == .pending)
            let listed = try await t.request(.GET, "/bookings?status=EXPIRED", token: late.accessToken).content.decode(
                APIPage<BookingResponse>.self)
            #expect(listed.items.map(\.id) == [booking.id])
            let pending = try await t.request(.GET, "/bookings?status=PENDING", token: late.accessToken).content.decode(
                APIPage<BookingResponse>.self)
            #expect(pending.items.isEmpty)
            #expect(try await t.app.boxOffice.expiry.expireOverdue(on: t.app.db) == 1)
            let logs = try await t.request(.GET, "/bookings/\(booking.id)/logs", token: late.accessToken).content
                .decode(BookingLogList.self)
            #expect(
                logs.items.last?.actor == .system && logs.items.last?.from == .pending
                    && logs.items.last?.to == .expired)
            let ravi = try await t.customer()
            let rebooked = try await f.book(try await f.hold(["E1", "E2"], ravi).lockId, ravi)
            #expect(rebooked.status == .created)
        }
    }

    @Test func trackedFoodStockIsTakenAndNeverOversold() async throws {
        try await withTestApp { t in
            let f = try await BookingFixture.make(t)
            let samosa = try #require(try await FoodItem.find(f.food["Veg Samosa (2 pcs)"], on: t.app.db))
            samosa.stock = 3
            try await samosa.save(on: t.app.db)
            let asha = try await t.customer()
            let booked = try await f.book(
                try await f.hold(["J1"], asha).lockId, asha, foods: [("Veg Samosa (2 pcs)", 2)])
            #expect(booked.status == .created)
            #expect(try await FoodItem.find(samosa.id, on: t.app.db)?.stock == 1)
            let ravi = try await t.customer()
            let tooMany = try await f.book(
                try await f.hold(["J2"], ravi).lockId, ravi, foods: [("Veg Samosa (2 pcs)", 2)])
            #expect(tooMany.problem?.errors?.first?.field == "foods[0].quantity")
            #expect(try await FoodItem.find(samosa.id, on: t.app.db)?.stock == 1)
        }
    }

    @Test func idempotentRetryWhileTheFirstIsRunningIsAConflict() async throws {
        try await withTestApp { t in
            let f = try await BookingFixture.make(t)
            let asha = try await t.customer()
            let lock = try await f.hold(["J5"], asha)
            // A first request that is still running has left its record without a response.
            let body = try JSONEncoder.api.encode(
                CreateBookingRequest(showId: f.show.id, lockId: lock.lockId, foods: [], promoCode: nil))
            let record = IdempotencyRecord()
            record.userID = asha.id
            record.scope = "POST /bookings"
            record.key = "slow-1"
            record.requestHash = SHA256.hash(data: body).hex
            record.createdAt = t.clock.now()
            try await record.create(on: t.app.db)
            let retry = try await f.book(lock.lockId, asha, key: "slow-1")
            #expect(retry.problem?.code == "idempotency_in_progress")
            #expect(try await Booking.query(on: t.app.db).count() == 0)
        }
    }

    /// Found by `reliability/run app-kill`: the server died after the booking committed but before its answer
    /// was stored, and with the in-process hold store the hold died with it. The retry (same key, after the
    /// lease) was a 409 `hold_expired` while the booking kept its seats. A hold books once: the retry gets it.
    @Test func aRetryAfterACrashBetweenCommitAndAnswerGetsTheBooking() async throws {
        try await withTestApp { t in
            let f = try await BookingFixture.make(t)
            let asha = try await t.customer()
            let lock = try await f.hold(["J6", "J7"], asha)
            let first = try await f.book(lock.lockId, asha, key: "crash-1")
            #expect(first.status == .created)
            let booking = try first.content.decode(BookingResponse.self)
            // The crash: no answer stored, and the hold gone with the process.
            let record = try #require(try await IdempotencyRecord.query(on: t.app.db).first())
            record.statusCode = nil
            record.responseBody = nil
            try await record.save(on: t.app.db)
            _ = try await t.app.boxOffice.holds.store.release(lock.lockId)
            t.clock.advance(by: Idempotency.lease + 1)

            let retry = try await f.book(lock.lockId, asha, key: "crash-1")
            #expect(retry.status == .created, "\(retry.body.string)")
            #expect(try retry.content.decode(BookingResponse.self).id == booking.id)
            // Without a key too, and the key now replays that answer.
            let again = try await f.book(lock.lockId, asha)
            #expect(try again.content.decode(BookingResponse.self).id == booking.id)
            #expect(
                try await f.book(lock.lockId, asha, key: "crash-1").headers.first(name: "Idempotent-Replayed") == "true"
            )
            #expect(try await Booking.query(on: t.app.db).count() == 1)
            // Someone else's hold id is not a way to read their booking.
            let ravi = try await t.customer()
            #expect(try await f.book(lock.lockId, ravi).status == .notFound)
        }
    }

    /// The same hold booked twice at once (a double click, a client retry racing its first try): one booking, and
    /// both requests answer it.
    @Test func theSameHoldBookedTwiceAtOnceMakesOneBookingBothAnswer() async throws {
        try await withTestApp { t in
            let f = try await BookingFixture.make(t)
            let asha = try await t.customer()
            let lock = try await f.hold(["J8", "J9"], asha)
            async let first = f.book(lock.lockId, asha)
            async let second = f.book(lock.lockId, asha)
            let answers = try await [first, second]
            #expect(answers.map(\.status) == [.created, .created], "\(answers.map(\.body.string))")
            let ids = try Set(answers.map { try $0.content.decode(BookingResponse.self).id })
            #expect(ids.count == 1)
            #expect(try await Booking.query(on: t.app.db).count() == 1)
        }
    }

    @Test func bookingsAreVisibleOnlyToTheirOwnerAndAdmins() async throws {
        try await withTestApp { t in
            let f = try await BookingFixture.make(t)
            let asha = try await t.customer(), ravi = try await t.customer()
            let booking = try await f.book(try await f.hold(["G1"], asha).lockId, asha).content.decode(
                BookingResponse.self)
            #expect(try await t.request(.GET, "/bookings/\(booking.id)", token: ravi.accessToken).status == .notFound)
            #expect(
                try await t.request(.GET, "/bookings/\(booking.id)/logs", token: ravi.accessToken).status == .notFound)
            #expect(
                try await t.request(.GET, "/bookings", token: ravi.accessToken).content.decode(
                    Page<BookingResponse>.self
                ).total == 0)
            #expect(
                try await t.request(.GET, "/bookings", token: asha.accessToken).content.decode(
                    Page<BookingResponse>.self
                ).total == 1)
            let admin = try await t.login("admin@boxoffice.local", "admin-demo-password")
            let all = try await t.request(.GET, "/bookings?status=PENDING&user_id=\(asha.id)", token: admin.accessToken)
            #expect(try all.content.decode(Page<BookingResponse>.self).items.map(\.id) == [booking.id])
            // By the reference on the ticket, in any case; a customer never finds another's that way.
            let byReference = try await t.request(
                .GET, "/bookings?reference=\(booking.reference.lowercased())", token: admin.accessToken)
            #expect(try byReference.content.decode(Page<BookingResponse>.self).items.map(\.id) == [booking.id])
            #expect(
                try await t.request(.GET, "/bookings?reference=\(booking.reference)", token: ravi.accessToken).content
                    .decode(Page<BookingResponse>.self).total == 0)
            #expect(
                try await t.request(.GET, "/bookings?reference=%20", token: admin.accessToken).problem?.code
                    == "validation_failed")
            #expect(try await t.request(.GET, "/bookings/\(booking.id)/logs", token: admin.accessToken).status == .ok)
        }
    }
}
