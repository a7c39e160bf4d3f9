import Fluent
import Foundation
import Testing
import VaporTesting

@testable import BoxOffice

/// A cinema taking payments through Razorpay (a local stand-in speaking its API and sending signed webhooks).
func withRazorpayApp(_ test: (TestApp, RazorpayStandIn, PaymentFixture) async throws -> Void) async throws {
    let razorpay = try await RazorpayStandIn.start()
    let events = InMemoryEventBus()
    do {
        try await withTestApp(
            configure: {
                $0.paymentGateway = .razorpay
                $0.razorpay = razorpay.keys
            }, services: { $0.events = events }
        ) { t in
            try await test(t, razorpay, try await PaymentFixture.make(t, events: events))
        }
    } catch {
        await razorpay.stop()
        throw error
    }
    await razorpay.stop()
}

extension TestApp {
    func razorpayWebhook(_ signed: (body: String, signature: String), eventID: String = "evt_\(UUID().uuidString)")
        async throws -> TestingHTTPResponse
    {
        try await request(
            .POST, "/payments/webhook",
            headers: ["X-Razorpay-Signature": signed.signature, "X-Razorpay-Event-Id": eventID], rawBody: signed.body)
    }
}

extension PaymentFixture {
    /// A booking paid through Razorpay: its order captured and the signed `payment.captured` webhook applied.
    func paidThroughRazorpay(_ labels: [String], _ account: TestApp.Account, _ razorpay: RazorpayStandIn)
        async throws -> (booking: BookingResponse, payment: PaymentResponse, razorpayPaymentID: String)
    {
        let booking = try await book(labels, account)
        let payment = try await startPayment(booking, account)
        let orderID = try #require(payment.checkout?["order_id"])
        let paid = razorpay.capture(orderID)
        let answer = try await t.razorpayWebhook(
            razorpay.webhook(
                "payment.captured", orderID: orderID, paymentID: paid, amount: booking.breakdown.totalMinor,
                status: "captured"))
        #expect(answer.status == .ok, "\(answer.body.string)")
        return (booking, payment, paid)
    }
}

@Suite("Payments through Razorpay (stand-in)")
struct RazorpayPaymentTests {
    @Test func anOrderForTheExactTotalPaidThroughTheSignedWebhookOnce() async throws {
        try await withRazorpayApp { t, razorpay, f in
            let asha = try await t.customer()
            let booking = try await f.book(["A1", "A2"], asha)
            let payment = try await f.startPayment(booking, asha)
            #expect(payment.gateway == "razorpay")
            let orderID = try #require(payment.checkout?["order_id"])
            #expect(payment.checkout?["key_id"] == razorpay.keyID)
            let order = try #require(razorpay.state.withLockedValue { $0.orders[orderID] })
            #expect(order.amount == booking.breakdown.totalMinor && order.receipt == booking.reference)
            // Asking again returns the same order.
            let again = try await t.request(
                .POST, "/payments", json: CreatePaymentRequest(bookingId: booking.id, method: .upi),
                token: asha.accessToken)
            #expect(again.status == .ok)
            #expect(try again.content.decode(PaymentResponse.self).checkout?["order_id"] == orderID)
            #expect(razorpay.state.withLockedValue { $0.orders.count } == 1)

            let paid = razorpay.capture(orderID)
            let captured = razorpay.webhook(
                "payment.captured", orderID: orderID, paymentID: paid, amount: booking.breakdown.totalMinor,
                status: "captured")
            let first = try await t.razorpayWebhook(captured, eventID: "evt_1")
            #expect(first.status == .ok, "\(first.body.string)")
            #expect(try await f.status(of: booking) == .confirmed)
            #expect(try await f.payment(payment.paymentId).status == .completed)
            // The same event again, order.paid for the same payment, and a late payment.failed change nothing.
            let duplicate = try await t.razorpayWebhook(captured, eventID: "evt_1")
            #expect(try duplicate.content.decode(WebhookAck.self).duplicate)
            let orderPaid = razorpay.webhook(
                "order.paid", orderID: orderID, paymentID: paid, amount: booking.breakdown.totalMinor,
                status: "captured")
            #expect(try await t.razorpayWebhook(orderPaid, eventID: "evt_2").status == .ok)
            let lateFailure = razorpay.webhook(
                "payment.failed", orderID: orderID, paymentID: "pay_other", amount: booking.breakdown.totalMinor,
                status: "failed", error: "Card declined")
            #expect(try await t.razorpayWebhook(lateFailure, eventID: "evt_3").status == .ok)
            #expect(try await f.payment(payment.paymentId).status == .completed)
            #expect(try await f.status(of: booking) == .confirmed)
        }
    }

    @Test func forgedOrMismatchedWebhooksChangeNothing() async throws {
        try await withRazorpayApp { t, razorpay, f in
            let asha = try await t.customer()
            let booking = try await f.book(["A1"], asha)
            let payment = try await f.startPayment(booking, asha)
            let orderID = try #require(payment.checkout?["order_id"])
            let paid = razorpay.capture(orderID)
            var forged = razorpay.webhook(
                "payment.captured", orderID: orderID, paymentID: paid, amount: booking.breakdown.totalMinor,
                status: "captured")
            forged.signature = String(repeating: "0", count: 64)
            #expect(try await t.razorpayWebhook(forged).status == .unauthorized)
            let short = razorpay.webhook(
                "payment.captured", orderID: orderID, paymentID: paid, amount: booking.breakdown.totalMinor - 1,
                status: "captured")
            #expect(try await t.razorpayWebhook(short).status == .unprocessableEntity)
            #expect(try await f.payment(payment.paymentId).status == .pending)
            #expect(try await f.status(of: booking) == .pending)
        }
    }

    @Test func aFailedPaymentLeavesTheBookingToPayAgain() async throws {
        try await withRazorpayApp { t, razorpay, f in
            let asha = try await t.customer()
            let booking = try await f.book(["A1"], asha)
            let payment = try await f.startPayment(booking, asha)
            let orderID = try #require(payment.checkout?["order_id"])
            let failed = razorpay.webhook(
                "payment.failed", orderID: orderID, paymentID: "pay_x", amount: booking.breakdown.totalMinor,
                status: "failed",
                error: "Card declined")
            #expect(try await t.razorpayWebhook(failed).status == .ok)
            let stored = try await f.payment(payment.paymentId)
            #expect(stored.status == .failed && stored.failureReason == "Card declined")
            #expect(try await f.status(of: booking) == .pending)
            let retry = try await f.startPayment(booking, asha)
            #expect(retry.paymentId != payment.paymentId)
        }
    }

    /// The customer's Checkout answer confirms at once; the webhook that follows converges on the same state.
    @Test func checkoutConfirmationIsVerifiedAndConvergesWithTheWebhook() async throws {
        try await withRazorpayApp { t, razorpay, f in
            let asha = try await t.customer(), ravi = try await t.customer()
            let booking = try await f.book(["A1"], asha)
            let payment = try await f.startPayment(booking, asha)
            let orderID = try #require(payment.checkout?["order_id"])
            let paid = razorpay.capture(orderID)
            let good = [
                "razorpay_payment_id": paid, "razorpay_order_id": orderID,
                "razorpay_signature": razorpay.checkoutSignature(orderID: orderID, paymentID: paid),
            ]
            var bad = good
            bad["razorpay_signature"] = razorpay.checkoutSignature(orderID: orderID, paymentID: "pay_forged")
            let path = "/payments/\(payment.paymentId)/confirm"
            #expect(try await t.request(.POST, path, json: bad, token: asha.accessToken).status == .unprocessableEntity)
            #expect(try await t.request(.POST, path, json: good, token: ravi.accessToken).status == .notFound)
            let confirmed = try await t.request(.POST, path, json: good, token: asha.accessToken)
            #expect(confirmed.status == .ok, "\(confirmed.body.string)")
            #expect(try confirmed.content.decode(PaymentResponse.self).status == .completed)
            #expect(try await f.status(of: booking) == .confirmed)
            let webhook = razorpay.webhook(
                "payment.captured", orderID: orderID, paymentID: paid, amount: booking.breakdown.totalMinor,
                status: "captured")
            #expect(try await t.razorpayWebhook(webhook).status == .ok)
            #expect(try await f.payment(payment.paymentId).status == .completed)
        }
    }

    @Test func refundsFullPartialAndFailedThenRetried() async throws {
        try await withRazorpayApp { t, razorpay, f in
            // The bank takes its time: Razorpay accepts refunds as pending and says later how they ended.
            razorpay.state.withLockedValue { $0.newRefundStatus = "pending" }
            let admin = try await t.admin(), asha = try await t.customer()
            let booking = try await f.book(["A1", "A2"], asha)
            let payment = try await f.startPayment(booking, asha)
            let orderID = try #require(payment.checkout?["order_id"])
            let paid = razorpay.capture(orderID)
            _ = try await t.razorpayWebhook(
                razorpay.webhook(
                    "payment.captured", orderID: orderID, paymentID: paid, amount: booking.breakdown.totalMinor,
                    status: "captured"))
            let partial = try await t.request(
                .POST, "/payments/\(payment.paymentId)/refund", json: RefundRequest(amountMinor: 100, reason: "Late"),
                token: admin.accessToken)
            #expect(partial.status == .created, "\(partial.body.string)")
            let rest = booking.breakdown.totalMinor - 100
            _ = try await t.request(
                .POST, "/payments/\(payment.paymentId)/refund", json: RefundRequest(amountMinor: rest, reason: "All"),
                token: admin.accessToken)
            var refunds = razorpay.state.withLockedValue { $0.refunds[paid] ?? [] }
            #expect(refunds.map(\.amount) == [100, rest])

            // Razorpay fails the first refund later: it is sent again at once, as a new Razorpay refund.
            let first = try #require(refunds.first)
            razorpay.state.withLockedValue { $0.refundStatus[first.id] = "failed" }
            let failed = razorpay.refundWebhook("refund.failed", refundID: first.id, paymentID: paid, amount: 100)
            #expect(try await t.razorpayWebhook(failed, eventID: "evt_rf").status == .ok)
            #expect(try await t.razorpayWebhook(failed, eventID: "evt_rf").content.decode(WebhookAck.self).duplicate)
            refunds = razorpay.state.withLockedValue { $0.refunds[paid] ?? [] }
            #expect(refunds.map(\.amount) == [100, rest, 100])
            let stored = try await f.payment(payment.paymentId)
            #expect(stored.refundedMinor == booking.breakdown.totalMinor)
        }
    }

    @Test func aGatewayOutageAtOrderCreationIsA503AndWritesNothing() async throws {
        try await withRazorpayApp { t, razorpay, f in
            let asha = try await t.customer()
            let booking = try await f.book(["A1"], asha)
            razorpay.failNext(3)
            let response = try await t.request(
                .POST, "/payments", json: CreatePaymentRequest(bookingId: booking.id, method: .upi),
                token: asha.accessToken)
            #expect(response.status == .serviceUnavailable, "\(response.body.string)")
            #expect(response.headers.first(name: .retryAfter) != nil)
            #expect(try await Payment.query(on: t.app.db).count() == 0)
            #expect(try await f.startPayment(booking, asha).status == .pending)
        }
    }

    /// A captured payment whose webhook never came is applied by reconciliation; an order nobody paid fails.
    @Test func reconciliationAppliesAMissedWebhookAndFailsAbandonedOrders() async throws {
        try await withRazorpayApp { t, razorpay, f in
            let asha = try await t.customer(), ravi = try await t.customer()
            let paidBooking = try await f.book(["A1"], asha)
            let paid = try await f.startPayment(paidBooking, asha)
            let abandonedBooking = try await f.book(["B1"], ravi)
            let abandoned = try await f.startPayment(abandonedBooking, ravi)
            _ = razorpay.capture(try #require(paid.checkout?["order_id"]))
            let payments = t.app.boxOffice.payments
            #expect(try await payments.reconcile(olderThan: 600, on: t.app.db) == 0)  // not stale yet
            t.clock.advance(by: 601)
            #expect(try await payments.reconcile(olderThan: 600, on: t.app.db) == 2)
            #expect(try await f.payment(paid.paymentId).status == .completed)
            #expect(try await f.status(of: paidBooking) == .confirmed)
            let gone = try await f.payment(abandoned.paymentId)
            #expect(gone.status == .failed && gone.failureReason?.contains("Abandoned") == true)
            #expect(try await payments.reconcile(olderThan: 600, on: t.app.db) == 0)
        }
    }
}

@Suite("Razorpay Checkout in the web client")
struct RazorpayWebCheckoutTests {
    /// In razorpay mode the customer page may run Checkout's script and frame Razorpay; the staff page may not, and
    /// the payment's checkout names the script the page loads.
    @Test func theCustomerPageAllowsCheckoutAndNothingElseDoes() async throws {
        try await withRazorpayApp { t, razorpay, f in
            let customer = try #require(try await t.request(.GET, "/").headers.first(name: "Content-Security-Policy"))
            let standIn = try #require(WebController.origin(of: razorpay.url))
            #expect(customer.contains("script-src 'self' https://checkout.razorpay.com;"))
            #expect(customer.contains("frame-src https://checkout.razorpay.com \(standIn);"))
            #expect(customer.contains("connect-src 'self' https://checkout.razorpay.com \(standIn);"))
            #expect(customer.contains("frame-ancestors 'none'") && customer.contains("style-src 'self';"))
            let staff = try await t.request(.GET, "/admin").headers.first(name: "Content-Security-Policy")
            #expect(staff == WebController.contentSecurityPolicy)
            let asha = try await t.customer()
            let payment = try await f.startPayment(try await f.book(["C6"], asha), asha)
            #expect(payment.checkout?["script_url"] == "https://checkout.razorpay.com/v1/checkout.js")
        }
    }

    @Test func theSimulatorsPageStaysStrict() async throws {
        try await withTestApp { t in
            let page = try await t.request(.GET, "/")
            #expect(page.headers.first(name: "Content-Security-Policy") == WebController.contentSecurityPolicy)
        }
    }

    /// Only an http(s) origin with a plain host goes into the policy: nothing can smuggle in another directive.
    @Test func onlyAPlainOriginEntersThePolicy() {
        #expect(
            WebController.origin(of: "https://checkout.razorpay.com/v1/checkout.js") == "https://checkout.razorpay.com")
        #expect(WebController.origin(of: "http://127.0.0.1:9000/x.js") == "http://127.0.0.1:9000")
        #expect(WebController.origin(of: "javascript:alert(1)") == nil)
        #expect(WebController.origin(of: "https://a.example; script-src *") == nil)
        #expect(WebController.origin(of: "https://") == nil)
        let keys = AppConfig.RazorpayKeys(
            keyID: "k", keySecret: "s", webhookSecret: "w", apiURL: "https://api.razorpay.com",
            checkoutScriptURL: "data:text/javascript,alert(1)")
        #expect(WebController.customerPolicy(razorpay: keys) == WebController.contentSecurityPolicy)
        // One stand-in serving the API and the script is named once.
        let one = AppConfig.RazorpayKeys(
            keyID: "k", keySecret: "s", webhookSecret: "w", apiURL: "http://127.0.0.1:9000",
            checkoutScriptURL: "http://127.0.0.1:9000/v1/checkout.js")
        #expect(WebController.customerPolicy(razorpay: one).contains("frame-src http://127.0.0.1:9000;"))
    }
}
