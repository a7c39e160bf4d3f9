import Fluent
import Foundation
import Testing
import VaporTesting

@testable import BoxOffice

/// Exchanges under races, and many exchanges in a row with the money still exact.
@Suite("Exchanges: races and the ledger")
struct ExchangeRaceTests {
    /// Two customers go for the same seat of show 2 at once, each to exchange into it: one gets it.
    @Test func twoCustomersExchangingIntoTheSameSeatsOneWins() async throws {
        try await withExchangeApp { x in
            let asha = try await x.t.customer()
            let ravi = try await x.t.customer()
            let bookings = [try await x.paid(["B5"], asha), try await x.paid(["B6"], ravi)]
            let accounts = [asha, ravi]
            let statuses = try await withThrowingTaskGroup(of: HTTPStatus.self) { group in
                for index in 0..<2 {
                    group.addTask {
                        let lock = try await x.t.request(
                            .POST, "/seatlocks",
                            json: CreateSeatLockRequest(showId: x.show2, seatIds: [x.f.booking.seats["H7"]!]),
                            token: accounts[index].accessToken)
                        guard lock.status == .created else { return lock.status }
                        let id = try lock.content.decode(SeatLockResponse.self).lockId
                        return try await x.t.request(
                            .POST, "/bookings/\(bookings[index].id)/exchange", json: ["lock_id": id.uuidString],
                            token: accounts[index].accessToken
                        ).status
                    }
                }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            #expect(statuses.filter { $0 == .accepted }.count == 1, "\(statuses)")
            #expect(statuses.filter { $0 == .conflict }.count == 1, "\(statuses)")
        }
    }

    /// One booking, two holds, two exchanges sent at once (a double tap, two tabs): one is made, the other is a 409,
    /// and the booking has exactly one of the two seats.
    @Test func oneBookingExchangedTwiceAtOnceIsExchangedOnce() async throws {
        try await withExchangeApp { x in
            let asha = try await x.t.customer()
            let booking = try await x.paid(["B5"], asha)
            let locks = [
                try await x.f.booking.hold(["B8"], asha, show: x.show2),
                try await x.f.booking.hold(["B9"], asha, show: x.show2),
            ]
            let statuses = try await withThrowingTaskGroup(of: HTTPStatus.self) { group in
                for lock in locks {
                    group.addTask {
                        try await x.t.request(
                            .POST, "/bookings/\(booking.id)/exchange", json: ["lock_id": lock.lockId.uuidString],
                            token: asha.accessToken
                        ).status
                    }
                }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            #expect(statuses.sorted { $0.code < $1.code } == [.ok, .conflict], "\(statuses)")
            let after = try await x.reload(booking, asha)
            #expect(after.seats.count == 1 && ["B8", "B9"].contains(after.seats[0].label))
            let exchanges = try await BookingExchange.query(on: x.t.app.db).filter(\.$status == .completed).count()
            #expect(exchanges == 1)
        }
    }

    /// An exchange into show 2 racing the cancel of show 2, and one out of show 1 racing show 1's cancel: whichever
    /// wins, no booking stays confirmed on a cancelled show, and a cancelled booking got all its money back.
    @Test func anExchangeRacingAShowCancelLeavesNothingOnTheCancelledShow() async throws {
        for cancelTarget in [true, false] {
            try await withExchangeApp { x in
                let admin = try await x.t.admin()
                let asha = try await x.t.customer()
                let booking = try await x.paid(["B5"], asha)
                let lock = try await x.f.booking.hold(["B9"], asha, show: x.show2)
                let cancelled = cancelTarget ? x.show2 : x.show1
                async let exchange = x.t.request(
                    .POST, "/bookings/\(booking.id)/exchange", json: ["lock_id": lock.lockId.uuidString],
                    token: asha.accessToken)
                async let cancel = x.t.request(
                    .PUT, "/shows/\(cancelled)/cancel", json: ["reason": "Projector fault"], token: admin.accessToken)
                let (answer, cancelAnswer) = try await (exchange, cancel)
                #expect(cancelAnswer.status == .ok)
                #expect([.ok, .conflict].contains(answer.status), "\(answer.body.string)")
                let after = try #require(try await Booking.find(booking.id, on: x.t.app.db))
                if after.$show.id == cancelled {
                    #expect(after.status == .cancelled)
                }
                let active = try await BookingSeat.query(on: x.t.app.db).filter(\.$showID == cancelled)
                    .filter(\.$isActive == true).count()
                #expect(active == 0)
                if after.status == .cancelled {
                    let payments = try await Payment.query(on: x.t.app.db).filter(\.$booking.$id == booking.id).all()
                    #expect(payments.allSatisfy { $0.refundedMinor == $0.amountMinor })
                }
            }
        }
    }

    /// 200 random exchanges of five bookings between two shows and three price levels, a fee on each, some paid in
    /// time, some late, some not at all: the money stays exact after every one.
    @Test func twoHundredRandomExchangesKeepTheLedgerExact() async throws {
        try await withExchangeApp(configure: {
            $0.exchangeMax = 1_000; $0.exchangeFeeMinor = 500
        }) { x in
            var generator = SystemRandomNumberGenerator()
            let rows = ["A", "B", "C", "D", "E", "F", "G", "H", "J", "K"]
            var customers: [TestApp.Account] = []
            var bookings: [BookingResponse] = []
            for index in 0..<5 {
                let customer = try await x.t.customer()
                customers.append(customer)
                if index < 2 {
                    bookings.append(try await x.paid(["\(rows[index])3"], customer))
                } else {
                    // With food and a promo code, so their shares of discount and GST move with every exchange.
                    let lock = try await x.f.booking.hold(["\(rows[index])3", "\(rows[index])4"], customer)
                    let booked = try await x.f.booking.book(
                        lock.lockId, customer, foods: [("Masala Chai", 2), ("Veg Samosa (2 pcs)", 1)],
                        code: index == 4 ? "WELCOME10" : nil
                    ).content.decode(BookingResponse.self)
                    let payment = try await x.f.startPayment(booked, customer)
                    #expect(try await x.f.simulate(payment, "succeeded", customer).status == .ok)
                    bookings.append(booked)
                }
            }
            var outcomes: [String: Int] = [:]
            for _ in 0..<200 {
                let index = Int.random(in: 0..<5, using: &generator)
                let customer = customers[index]
                let show = Bool.random(using: &generator) ? x.show1 : x.show2
                let map = try await x.t.request(.GET, "/shows/\(show)/availability", token: customer.accessToken)
                    .content.decode(AvailabilityResponse.self)
                guard let seat = map.seats.filter({ $0.status == "available" }).randomElement(using: &generator)
                else { continue }
                let lock = try await x.t.request(
                    .POST, "/seatlocks", json: CreateSeatLockRequest(showId: show, seatIds: [seat.id]),
                    token: customer.accessToken)
                guard lock.status == .created else {
                    outcomes["hold \(lock.status.code)", default: 0] += 1
                    continue
                }
                let lockID = try lock.content.decode(SeatLockResponse.self).lockId
                let answer = try await x.t.request(
                    .POST, "/bookings/\(bookings[index].id)/exchange", json: ["lock_id": lockID.uuidString],
                    token: customer.accessToken)
                outcomes["exchange \(answer.status.code)", default: 0] += 1
                if answer.status == .accepted {
                    let payment = try await x.f.startPayment(bookings[index], customer)
                    switch Int.random(in: 0..<3, using: &generator) {
                    case 0: _ = try await x.f.simulate(payment, "succeeded", customer)
                    case 1:
                        x.t.clock.advance(by: TimeInterval(x.t.config.paymentWindowSeconds + 1))
                        _ = try await x.f.deliver(
                            x.f.event("payment.succeeded", try await x.f.payment(payment.paymentId)))
                    default: _ = try await x.t.request(.DELETE, "/seatlocks/\(lockID)", token: customer.accessToken)
                    }
                } else {
                    _ = try? await x.t.request(.DELETE, "/seatlocks/\(lockID)", token: customer.accessToken)
                }
                try await x.expectMoneyBalanced()
            }
            #expect((outcomes["exchange 200"] ?? 0) + (outcomes["exchange 202"] ?? 0) > 100, "\(outcomes)")
            let exchanged = try await BookingExchange.query(on: x.t.app.db).filter(\.$status == .completed).count()
            #expect(exchanged > 50, "\(outcomes)")
        }
    }
}
