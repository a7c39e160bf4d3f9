import Fluent
import Foundation
import Testing
import VaporTesting
@testable import BoxOffice

/// Money and stock rules that leaked: promo limits, food stock, late payments, refunds that could be lost.
@Suite("Hardening: money rules")
struct MoneyRuleTests {
    /// Reported: a payment arriving for an EXPIRED booking re-seated it on a CANCELLED show, refunding nothing.
    @Test func aLatePaymentForACancelledShowIsRefundedAndTheBookingStaysExpired() async throws {
        try await withPaymentApp { f in
            let asha = try await f.t.customer()
            let booking = try await f.book(["D5"], asha)
            let payment = try await f.payment(try await f.startPayment(booking, asha).paymentId)
            f.t.clock.advance(by: 901)
            _ = try await BookingLifecycle(clock: f.t.clock).expireOverdue(on: f.t.app.db)
            let admin = try await f.t.login("admin@boxoffice.local", "admin-demo-password")
            let cancelled = try await f.t.request(
                .PUT, "/shows/\(f.show.id)/cancel", json: ["reason": "Projector failure"],
                token: admin.accessToken)
            #expect(cancelled.status == .ok, "\(cancelled.body.string)")
            #expect(try await f.deliver(f.event("payment.succeeded", payment)).status == .ok)
            #expect(try await f.status(of: booking) == .expired)
            let refunded = try await f.payment(payment.requireID())
            #expect(refunded.status == .completed && refunded.refundedMinor == refunded.amountMinor)
            #expect(f.events.published.contains { $0.kind == .bookingRefunded && $0.userID == asha.id })
            // The customer is told the late payment's outcome, and why.
            let inbox = try await f.t.request(.GET, "/notifications", token: asha.accessToken).content.decode(
                NotificationPage.self)
            let refund = try #require(inbox.items.first { $0.type == "booking_refunded" })
            #expect(refund.data.bookingId == booking.id)
            #expect(refund.message.contains("Paid after the payment window; the show is cancelled or has started"))
            let seats = try await BookingSeat.query(on: f.t.app.db).filter(\.$booking.$id == booking.id).filter(
                \.$isActive == true
            )
            .count()
            #expect(seats == 0)
        }
    }

    @Test func aLatePaymentForAShowThatStartedIsRefunded() async throws {
        try await withPaymentApp { f in
            let asha = try await f.t.customer()
            let booking = try await f.book(["D6"], asha)
            let payment = try await f.payment(try await f.startPayment(booking, asha).paymentId)
            f.t.clock.advance(by: 3 * 86_400)  // past the show's start
            #expect(try await f.deliver(f.event("payment.succeeded", payment)).status == .ok)
            #expect(try await f.status(of: booking) == .expired)
            #expect(try await f.payment(payment.requireID()).refundedMinor == payment.amountMinor)
        }
    }

    /// Reported: one customer used the once-per-customer WELCOME10 three times (limits were counted at payment).
    @Test func aOncePerCustomerCodeIsReservedByTheFirstBookingAndReleasedWhenItEnds() async throws {
        try await withPaymentApp { f in
            let asha = try await f.t.customer()
            let first = try await f.book(["C1", "F1", "J1"], asha, code: "WELCOME10")
            let lock = try await f.booking.hold(["C2", "F2", "J2"], asha)
            let second = try await f.booking.book(lock.lockId, asha, code: "WELCOME10")
            #expect(second.status == .conflict)
            #expect(second.problem?.code == "usage_exhausted")
            #expect(
                try await Discount.query(on: f.t.app.db).filter(\.$promoCode == "WELCOME10").first()?.timesUsed == 1)

            // Cancelling the unpaid first booking gives the use back.
            #expect(try await f.t.request(.POST, "/bookings/\(first.id)/cancel", token: asha.accessToken).status == .ok)
            #expect(
                try await Discount.query(on: f.t.app.db).filter(\.$promoCode == "WELCOME10").first()?.timesUsed == 0)
            let third = try await f.booking.book(lock.lockId, asha, code: "WELCOME10")
            #expect(third.status == .created, "\(third.body.string)")

            // So does expiry.
            f.t.clock.advance(by: 901)
            _ = try await BookingLifecycle(clock: f.t.clock).expireOverdue(on: f.t.app.db)
            #expect(try await DiscountRedemption.query(on: f.t.app.db).count() == 0)
        }
    }

    @Test func aTotalLimitIsReservedAtBooking() async throws {
        try await withPaymentApp { f in
            try await Discount.query(on: f.t.app.db).filter(\.$promoCode == "FLAT50").set(\.$usageLimitTotal, to: 1)
                .update()
            let asha = try await f.t.customer(), ravi = try await f.t.customer()
            _ = try await f.book(["J1", "J2"], asha, code: "FLAT50")
            let lock = try await f.booking.hold(["J3", "J4"], ravi)
            #expect(try await f.booking.book(lock.lockId, ravi, code: "FLAT50").problem?.code == "usage_exhausted")
        }
    }

    /// Reported: stock taken at booking never came back (150 → 90 after three cancelled bookings).
    @Test func foodStockComesBackOnCancelAndExpiry() async throws {
        try await withPaymentApp { f in
            let asha = try await f.t.customer()
            func stock() async throws -> Int? {
                try await FoodItem.query(on: f.t.app.db).filter(\.$name == "Chicken Nuggets (6 pcs)").first()?.stock
            }
            #expect(try await stock() == 150)
            for row in ["C", "D", "E"] {
                let lock = try await f.booking.hold(["\(row)1"], asha)
                let booking = try await f.booking.book(lock.lockId, asha, foods: [("Chicken Nuggets (6 pcs)", 20)])
                    .content.decode(BookingResponse.self)
                #expect(try await stock() == 130)
                #expect(
                    try await f.t.request(.POST, "/bookings/\(booking.id)/cancel", token: asha.accessToken).status
                        == .ok)
                #expect(try await stock() == 150)
            }
            let lock = try await f.booking.hold(["G1"], asha)
            _ = try await f.booking.book(lock.lockId, asha, foods: [("Chicken Nuggets (6 pcs)", 20)])
            f.t.clock.advance(by: 901)
            _ = try await BookingLifecycle(clock: f.t.clock).expireOverdue(on: f.t.app.db)
            #expect(try await stock() == 150)
        }
    }

    /// Reported: cancelling committed CANCELLED and refunded in a separate step; a gateway failure lost the refund.
    @Test func aRefundTheGatewayRefusesIsRetriedUntilItCompletes() async throws {
        let events = InMemoryEventBus()
        try await withTestApp(configure: { $0.simulatorFailRefunds = 2 }, services: { $0.events = events }) { t in
            let f = try await PaymentFixture.make(t, events: events)
            let payments = t.app.boxOffice.payments
            let asha = try await t.customer()
            let (booking, paid) = try await f.bookAndPay(["E5"], asha)
            let cancel = try await t.request(.POST, "/bookings/\(booking.id)/cancel", token: asha.accessToken)
            #expect(cancel.status == .ok)
            #expect(try await f.status(of: booking) == .cancelled)
            func refunds() async throws -> [PaymentResponse.RefundLine] {
                try await t.request(.GET, "/payments/\(paid.paymentId)", token: asha.accessToken)
                    .content.decode(PaymentResponse.self).refunds ?? []
            }
            var lines = try await refunds()
            #expect(lines.count == 1 && lines[0].status == .pending && lines[0].attempts == 1)
            #expect(try await f.payment(paid.paymentId).refundedMinor == paid.amountMinor)

            #expect(try await payments.deliverDueRefunds(on: t.app.db) == 0)  // not due yet: backoff
            t.clock.advance(by: 5)
            #expect(try await payments.deliverDueRefunds(on: t.app.db) == 0)  // the second failure
            lines = try await refunds()
            #expect(lines[0].status == .pending && lines[0].attempts == 2)
            t.clock.advance(by: 10)
            #expect(try await payments.deliverDueRefunds(on: t.app.db) == 1)
            lines = try await refunds()
            #expect(lines[0].status == .completed && lines[0].attempts == 3 && lines[0].completedAt != nil)
            #expect(try await payments.deliverDueRefunds(on: t.app.db) == 0)
            try await f.expectLedgerBalanced()
        }
    }

    @Test func aShowCancelledWhileTheGatewayFailsStillRefundsEveryone() async throws {
        let events = InMemoryEventBus()
        try await withTestApp(configure: { $0.simulatorFailRefunds = 100 }, services: { $0.events = events }) { t in
            let f = try await PaymentFixture.make(t, events: events)
            let asha = try await t.customer(), ravi = try await t.customer()
            _ = try await f.bookAndPay(["E6"], asha)
            _ = try await f.bookAndPay(["E7"], ravi)
            let admin = try await t.login("admin@boxoffice.local", "admin-demo-password")
            #expect(
                try await t.request(
                    .PUT, "/shows/\(f.show.id)/cancel", json: ["reason": "Flood"], token: admin.accessToken
                ).status
                    == .ok)
            let pending = try await Refund.query(on: t.app.db).filter(\.$status == .pending).count()
            #expect(pending == 2)
            #expect(try await Booking.query(on: t.app.db).filter(\.$status == .cancelled).count() == 2)
            try await f.expectLedgerBalanced()
        }
    }
}
