import Fluent
import Foundation
import Testing
import VaporTesting
@testable import BoxOffice

@Suite("Cancellations and refunds")
struct CancellationTests {
    /// 100 % at least 24 h before the start, 80 % at least 8 h before, refused after; one refund per booking.
    @Test func refundFollowsThePolicyAtItsBoundaries() async throws {
        try await withPaymentApp { f in
            let asha = try await f.t.customer()
            let (b1, p1) = try await f.bookAndPay(["K1"], asha)
            let (b2, p2) = try await f.bookAndPay(["K2"], asha)
            let (b3, p3) = try await f.bookAndPay(["K3"], asha)
            let (b4, _) = try await f.bookAndPay(["K4"], asha)
            let start = f.show.startsAt

            func cancel(_ booking: BookingResponse, at instant: Date) async throws -> TestingHTTPResponse {
                f.t.clock.set(instant)
                let me = try await f.t.login(asha.email, asha.password)
                return try await f.t.request(.POST, "/bookings/\(booking.id)/cancel", token: me.accessToken)
            }
            #expect(try await cancel(b1, at: start.addingTimeInterval(-24 * 3600 - 1)).status == .ok)
            #expect(try await f.payment(p1.paymentId).refundedMinor == p1.amountMinor)
            #expect(try await cancel(b2, at: start.addingTimeInterval(-24 * 3600 + 1)).status == .ok)
            #expect(try await f.payment(p2.paymentId).refundedMinor == (p2.amountMinor * 80 + 50) / 100)
            #expect(try await cancel(b3, at: start.addingTimeInterval(-8 * 3600 - 1)).status == .ok)
            #expect(try await f.payment(p3.paymentId).refundedMinor == (p3.amountMinor * 80 + 50) / 100)
            let late = try await cancel(b4, at: start.addingTimeInterval(-8 * 3600 + 1))
            #expect(late.status == .conflict)
            #expect(late.problem?.code == "too_late_to_cancel")
            #expect(try await f.status(of: b4) == .confirmed)
            // Cancelled seats are free again.
            let map = try await f.t.request(.GET, "/shows/\(f.show.id)/availability").content.decode(
                AvailabilityResponse.self)
            #expect(map.seats.filter { ["K1", "K2", "K3"].contains($0.label) }.allSatisfy { $0.status == "available" })
        }
    }

    /// The quote names the refund `cancel` then gives, changes nothing, and is the owner's alone.
    @Test func theQuoteNamesTheRefundTheCancelGives() async throws {
        try await withPaymentApp { f in
            let asha = try await f.t.customer()
            let (paid, payment) = try await f.bookAndPay(["H10"], asha)
            let (late, _) = try await f.bookAndPay(["H12"], asha)
            let pending = try await f.book(["H11"], asha)
            func quote(_ id: UUID, token: String) async throws -> TestingHTTPResponse {
                try await f.t.request(.GET, "/bookings/\(id)/cancellation", token: token)
            }
            let p = try await quote(pending.id, token: asha.accessToken).content.decode(CancellationQuote.self)
            #expect(p.cancellable && p.status == .pending && p.refundMinor == 0 && p.refundPercent == nil)
            let start = f.show.startsAt
            f.t.clock.set(start.addingTimeInterval(-10 * 3600))
            let me = try await f.t.login(asha.email, asha.password)
            let q = try await quote(paid.id, token: me.accessToken).content.decode(CancellationQuote.self)
            #expect(q.cancellable && q.status == .confirmed && q.refundPercent == 80)
            #expect(q.paidMinor == payment.amountMinor)
            #expect(q.refundMinor == (payment.amountMinor * 80 + 50) / 100)
            #expect(q.validUntil == start.addingTimeInterval(-8 * 3600))
            #expect(try await f.status(of: paid) == .confirmed)  // asking changed nothing
            let ravi = try await f.t.customer()
            #expect(try await quote(paid.id, token: ravi.accessToken).status == .notFound)
            // The pending booking's payment window is over by now: it reads as expired, nothing to cancel.
            let expired = try await quote(pending.id, token: me.accessToken).content.decode(CancellationQuote.self)
            #expect(!expired.cancellable && expired.status == .expired)
            // The cancel then refunds exactly what was quoted.
            #expect(try await f.t.request(.POST, "/bookings/\(paid.id)/cancel", token: me.accessToken).status == .ok)
            #expect(try await f.payment(payment.paymentId).refundedMinor == q.refundMinor)
            let after = try await quote(paid.id, token: me.accessToken).content.decode(CancellationQuote.self)
            #expect(!after.cancellable && after.status == .cancelled && after.refundMinor == 0)
            // Too late: the quote says so in words, as the cancel's 409 does.
            f.t.clock.set(start.addingTimeInterval(-3600))
            let me2 = try await f.t.login(asha.email, asha.password)
            let l = try await quote(late.id, token: me2.accessToken).content.decode(CancellationQuote.self)
            #expect(!l.cancellable && l.refundMinor == 0 && l.message.contains("no longer be cancelled"))
        }
    }

    @Test func cancellingTwiceRefundsOnce() async throws {
        try await withPaymentApp { f in
            let asha = try await f.t.customer()
            let (booking, payment) = try await f.bookAndPay(["K6", "K7"], asha)
            let first = try await f.t.request(.POST, "/bookings/\(booking.id)/cancel", token: asha.accessToken)
            let second = try await f.t.request(.POST, "/bookings/\(booking.id)/cancel", token: asha.accessToken)
            #expect(try first.content.decode(BookingResponse.self).status == .cancelled)
            #expect(try second.content.decode(BookingResponse.self).status == .cancelled)
            #expect(try await Refund.query(on: f.t.app.db).filter(\.$payment.$id == payment.paymentId).count() == 1)
            let ravi = try await f.t.customer()
            #expect(
                try await f.t.request(.POST, "/bookings/\(booking.id)/cancel", token: ravi.accessToken).status
                    == .notFound)
        }
    }

    @Test func aPendingBookingIsCancelledWithNothingToRefund() async throws {
        try await withPaymentApp { f in
            let asha = try await f.t.customer()
            let booking = try await f.book(["K8"], asha)
            let response = try await f.t.request(.POST, "/bookings/\(booking.id)/cancel", token: asha.accessToken)
            #expect(try response.content.decode(BookingResponse.self).status == .cancelled)
            #expect(try await Refund.query(on: f.t.app.db).count() == 0)
        }
    }

    @Test func partialRefundsAddUpAndNeverExceedThePayment() async throws {
        try await withPaymentApp { f in
            let asha = try await f.t.customer()
            let (booking, payment) = try await f.bookAndPay(["K9", "K10"], asha)
            let admin = try await f.t.login("admin@boxoffice.local", "admin-demo-password")
            func refund(_ amount: Int?) async throws -> TestingHTTPResponse {
                try await f.t.request(
                    .POST, "/payments/\(payment.paymentId)/refund",
                    json: RefundRequest(amountMinor: amount, reason: "Goodwill"), token: admin.accessToken)
            }
            #expect(
                try await f.t.request(
                    .POST, "/payments/\(payment.paymentId)/refund", json: ["reason": "x"],
                    token: asha.accessToken
                ).status == .forbidden)
            #expect(try await refund(1000).status == .created)
            #expect(try await f.status(of: booking) == .confirmed)
            #expect(try await refund(payment.amountMinor).problem?.code == "refund_exceeds_payment")
            let rest = try await refund(nil)
            #expect(rest.status == .created)
            #expect(try rest.content.decode(PaymentResponse.self).refundedMinor == payment.amountMinor)
            #expect(try await f.status(of: booking) == .cancelled)
            #expect(try await refund(1).problem?.code == "refund_exceeds_payment")
            #expect(try await Refund.query(on: f.t.app.db).count() == 2)
        }
    }

    /// The admin page's refund retried after a timeout: the same Idempotency-Key gets the first answer, one refund.
    @Test func aRefundRetriedWithItsIdempotencyKeyRefundsOnce() async throws {
        try await withPaymentApp { f in
            let asha = try await f.t.customer()
            let (_, payment) = try await f.bookAndPay(["J11"], asha)
            let admin = try await f.t.login("admin@boxoffice.local", "admin-demo-password")
            func refund(key: String, amount: Int) async throws -> TestingHTTPResponse {
                try await f.t.request(
                    .POST, "/payments/\(payment.paymentId)/refund",
                    json: RefundRequest(amountMinor: amount, reason: "Goodwill"), token: admin.accessToken,
                    headers: ["Idempotency-Key": key])
            }
            let first = try await refund(key: "refund-1", amount: 500)
            let again = try await refund(key: "refund-1", amount: 500)
            #expect(first.status == .created && again.status == .created)
            #expect(try again.content.decode(PaymentResponse.self).refundedMinor == 500)
            #expect(try await f.payment(payment.paymentId).refundedMinor == 500)
            #expect(try await refund(key: "refund-1", amount: 700).problem?.code == "idempotency_key_reused")
            #expect(try await refund(key: "refund-2", amount: 500).status == .created)
            #expect(try await Refund.query(on: f.t.app.db).count() == 2)
        }
    }

    @Test func cancellingAShowCancelsAndRefundsEveryBookingOnce() async throws {
        try await withPaymentApp { f in
            var confirmed: [(BookingResponse, PaymentResponse)] = []
            for (index, seat) in ["G1", "G2", "G3"].enumerated() {
                let customer = try await f.t.customer("fan\(index)@example.com")
                confirmed.append(try await f.bookAndPay([seat], customer))
            }
            var pending: [BookingResponse] = []
            for (index, seat) in ["G4", "G5"].enumerated() {
                pending.append(try await f.book([seat], try await f.t.customer("late\(index)@example.com")))
            }
            let admin = try await f.t.login("admin@boxoffice.local", "admin-demo-password")
            for _ in 0..<2 {
                let response = try await f.t.request(
                    .PUT, "/shows/\(f.show.id)/cancel", json: ["reason": "Projector failure"],
                    token: admin.accessToken)
                #expect(response.status == .ok)
            }
            for (booking, payment) in confirmed {
                #expect(try await f.status(of: booking) == .cancelled)
                #expect(try await f.payment(payment.paymentId).refundedMinor == payment.amountMinor)
                #expect(try await Refund.query(on: f.t.app.db).filter(\.$payment.$id == payment.paymentId).count() == 1)
            }
            for booking in pending { #expect(try await f.status(of: booking) == .cancelled) }
            #expect(f.events.published.filter { $0.kind == .showCancelled }.count == 5)
            let logs = try await BookingStatusLog.query(on: f.t.app.db).filter(\.$toStatus == .cancelled).all()
            #expect(
                logs.count == 5 && logs.allSatisfy { $0.actor == .admin && $0.reason.contains("Projector failure") })
        }
    }
}
