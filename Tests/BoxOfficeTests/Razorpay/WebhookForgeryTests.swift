import Fluent
import Foundation
import Testing
import VaporTesting

@testable import BoxOffice

/// Issue 24, items 1 and 2: only the configured gateway's signature is believed, and a signed body applies once
/// whatever unsigned header comes with it; a refund's status only moves forward.
@Suite("Webhook forgery and replays")
struct WebhookForgeryTests {
    /// The reported attack: with Razorpay configured, a simulator-style event signed with the development default
    /// secret (it is in the source) confirmed the booking without Razorpay ever being paid.
    @Test func aSimulatorStyleWebhookCannotConfirmARazorpayOrder() async throws {
        try await withRazorpayApp { t, razorpay, f in
            let asha = try await t.customer()
            let booking = try await f.book(["A1", "A2"], asha)
            let payment = try await f.startPayment(booking, asha)
            let orderID = try #require(payment.checkout?["order_id"])
            let amount = try #require(payment.checkout?["amount"].flatMap { Int($0) })
            let body = Data(
                #"{"id":"evt_x","type":"payment.succeeded","data":{"gateway_payment_id":"\#(orderID)","amount_minor":\#(amount),"currency":"INR"}}"#
                    .utf8)
            let forged = WebhookSignature(secret: AppConfig.developmentWebhookSecret).sign(body, at: t.clock.now())
            let answer = try await t.request(
                .POST, "/payments/webhook", headers: [WebhookSignature.header: forged],
                rawBody: String(decoding: body, as: UTF8.self))
            #expect(answer.status == .unauthorized, "\(answer.body.string)")
            // With a bogus Razorpay signature beside it, still nothing.
            let both = try await t.request(
                .POST, "/payments/webhook",
                headers: [WebhookSignature.header: forged, "X-Razorpay-Signature": String(repeating: "a", count: 64)],
                rawBody: String(decoding: body, as: UTF8.self))
            #expect(both.status == .unauthorized)
            #expect(try await f.status(of: booking) == .pending)
            #expect(try await f.payment(payment.paymentId).status == .pending)
            #expect(try await PaymentEvent.query(on: t.app.db).count() == 0)
            _ = razorpay
        }
    }

    /// The same signed body with a new `X-Razorpay-Event-Id` was applied again.
    @Test func aReplayedRazorpayBodyWithAFreshEventIDIsADuplicate() async throws {
        try await withRazorpayApp { t, razorpay, f in
            let asha = try await t.customer()
            let booking = try await f.book(["A1"], asha)
            let payment = try await f.startPayment(booking, asha)
            let orderID = try #require(payment.checkout?["order_id"])
            let paid = razorpay.capture(orderID)
            let captured = razorpay.webhook(
                "payment.captured", orderID: orderID, paymentID: paid, amount: booking.breakdown.totalMinor,
                status: "captured")
            let first = try await t.razorpayWebhook(captured, eventID: "evt_1")
            #expect(try first.content.decode(WebhookAck.self).duplicate == false)
            for header in ["evt_2", "evt_3", ""] {
                let replay = try await t.razorpayWebhook(captured, eventID: header)
                #expect(replay.status == .ok)
                #expect(try replay.content.decode(WebhookAck.self).duplicate, "replayed with event id \(header)")
            }
            #expect(try await PaymentEvent.query(on: t.app.db).count() == 1)
        }
    }

    /// A replayed `refund.failed` turned a COMPLETED refund back to PENDING and sent it to the gateway again.
    @Test func aRefundFailedAfterCompletionIsAcknowledgedAndIgnored() async throws {
        try await withRazorpayApp { t, razorpay, f in
            razorpay.state.withLockedValue { $0.newRefundStatus = "pending" }
            let admin = try await t.admin(), asha = try await t.customer()
            let (booking, payment, paid) = try await f.paidThroughRazorpay(["A1"], asha, razorpay)
            let refunded = try await t.request(
                .POST, "/payments/\(payment.paymentId)/refund", json: RefundRequest(amountMinor: nil, reason: "Sorry"),
                token: admin.accessToken)
            #expect(refunded.status == .created, "\(refunded.body.string)")
            // Razorpay accepted it as pending: it is not complete until Razorpay says it was processed.
            var refund = try #require(try await Refund.query(on: t.app.db).first())
            #expect(refund.status == .pending)
            let gatewayID = try #require(refund.gatewayRefundID)
            let processed = razorpay.refundWebhook(
                "refund.processed", refundID: gatewayID, paymentID: paid, amount: booking.breakdown.totalMinor)
            #expect(try await t.razorpayWebhook(processed).status == .ok)
            refund = try #require(try await Refund.find(refund.requireID(), on: t.app.db))
            #expect(refund.status == .completed)

            // A refund.failed for it afterwards (forged order of events, or a replay under a new header id).
            let failed = razorpay.refundWebhook(
                "refund.failed", refundID: gatewayID, paymentID: paid, amount: booking.breakdown.totalMinor)
            for header in ["evt_a", "evt_b"] {
                #expect(try await t.razorpayWebhook(failed, eventID: header).status == .ok)
            }
            refund = try #require(try await Refund.find(refund.requireID(), on: t.app.db))
            #expect(refund.status == .completed && refund.gatewayRefundID == gatewayID)
            #expect(try await t.app.boxOffice.payments.deliverDueRefunds(on: t.app.db) == 0)
            #expect(razorpay.state.withLockedValue { $0.refunds[paid]?.count } == 1)
        }
    }

    /// A pending refund whose webhook never comes is asked about again, and completes when Razorpay processed it.
    @Test func aPendingRefundIsAskedAboutAgainUntilProcessed() async throws {
        try await withRazorpayApp { t, razorpay, f in
            razorpay.state.withLockedValue { $0.newRefundStatus = "pending" }
            let admin = try await t.admin(), asha = try await t.customer()
            let (_, payment, paid) = try await f.paidThroughRazorpay(["A1"], asha, razorpay)
            _ = try await t.request(
                .POST, "/payments/\(payment.paymentId)/refund", json: RefundRequest(amountMinor: nil, reason: "Sorry"),
                token: admin.accessToken)
            let gatewayID = try #require(try await Refund.query(on: t.app.db).first()?.gatewayRefundID)
            razorpay.state.withLockedValue { $0.refundStatus[gatewayID] = "processed" }
            t.clock.advance(by: 60)
            #expect(try await t.app.boxOffice.payments.deliverDueRefunds(on: t.app.db) == 1)
            let refund = try #require(try await Refund.query(on: t.app.db).first())
            #expect(refund.status == .completed && refund.gatewayRefundID == gatewayID)
            #expect(razorpay.state.withLockedValue { $0.refunds[paid]?.count } == 1)
        }
    }

    /// The development default secret verifies simulator webhooks in development and tests only.
    @Test func theDevelopmentWebhookSecretIsRefusedOutsideDevelopment() {
        #expect(throws: ConfigError.self) {
            try AppConfig.load(from: ["PAYMENT_GATEWAY": "simulator"], environment: .custom(name: "staging"))
        }
        #expect((try? AppConfig.load(from: ["PAYMENT_GATEWAY": "simulator"], environment: .development)) != nil)
    }
}
