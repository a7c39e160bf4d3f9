import Crypto
import Foundation
import Testing
import Vapor

@testable import BoxOffice

/// The Razorpay client against a local stand-in that speaks its API (branch `razorpay`, work in progress).
@Suite("Razorpay gateway (client)")
struct RazorpayGatewayTests {
    @Test func anOrderForTheExactTotalAndItsCheckoutData() async throws {
        let razorpay = try await RazorpayStandIn.start()
        defer { Task { await razorpay.stop() } }
        let id = UUID()
        let checkout = try await razorpay.gateway().createPayment(
            id: id, amountMinor: 45_600, currency: "INR", method: .upi, for: .sample)
        #expect(checkout.gatewayPaymentID.hasPrefix("order_"))
        #expect(checkout.details["key_id"] == razorpay.keyID)
        #expect(checkout.details["amount"] == "45600")
        let order = try #require(razorpay.state.withLockedValue { $0.orders[checkout.gatewayPaymentID] })
        #expect(order.amount == 45_600 && order.receipt == "BX-SAMPLE")
        _ = id
    }

    @Test func fiveHundredsAreRetriedAndFourHundredsAreNot() async throws {
        let razorpay = try await RazorpayStandIn.start()
        defer { Task { await razorpay.stop() } }
        razorpay.failNext(2)
        _ = try await razorpay.gateway().createPayment(
            id: UUID(), amountMinor: 500, currency: "INR", method: .card, for: .sample)
        razorpay.failNext(3)
        await #expect(throws: GatewayError.self) {
            _ = try await razorpay.gateway().createPayment(
                id: UUID(), amountMinor: 500, currency: "INR", method: .card, for: .sample)
        }
        let before = razorpay.state.withLockedValue { $0.calls.count }
        await #expect(throws: RazorpayError.self) {
            _ = try await razorpay.gateway().createPayment(
                id: UUID(), amountMinor: 50, currency: "INR", method: .card, for: .sample)
        }
        #expect(razorpay.state.withLockedValue { $0.calls.count } == before + 1)
        var wrong = razorpay.gateway()
        wrong = RazorpayGateway(
            keyID: "rzp_test_other", keySecret: "nope", webhookSecret: "x", apiURL: razorpay.url,
            client: HTTPClient.shared)
        await #expect(throws: RazorpayError.self) {
            _ = try await wrong.createPayment(
                id: UUID(), amountMinor: 500, currency: "INR", method: .card, for: .sample)
        }
    }

    @Test func refundsGoToTheCapturedPaymentOnceEach() async throws {
        let razorpay = try await RazorpayStandIn.start()
        defer { Task { await razorpay.stop() } }
        let gateway = razorpay.gateway()
        let order = try await gateway.createPayment(
            id: UUID(), amountMinor: 1_000, currency: "INR", method: .upi, for: .sample)
        let refundID = UUID()
        await #expect(throws: GatewayError.self) {
            _ = try await gateway.refund(gatewayPaymentID: order.gatewayPaymentID, amountMinor: 400, refundID: refundID)
        }
        let paymentID = razorpay.capture(order.gatewayPaymentID)
        let first = try await gateway.refund(
            gatewayPaymentID: order.gatewayPaymentID, amountMinor: 400, refundID: refundID)
        let again = try await gateway.refund(
            gatewayPaymentID: order.gatewayPaymentID, amountMinor: 400, refundID: refundID)
        #expect(first == again)
        _ = try await gateway.refund(gatewayPaymentID: order.gatewayPaymentID, amountMinor: 600, refundID: UUID())
        let refunds = razorpay.state.withLockedValue { $0.refunds[paymentID] ?? [] }
        #expect(refunds.map(\.amount) == [400, 600])
    }

    @Test func signaturesAreCheckedInConstantTimeAgainstTheRightSecret() throws {
        let body = Data(#"{"event":"payment.captured"}"#.utf8)
        let mac = HMAC<SHA256>.authenticationCode(for: body, using: SymmetricKey(data: Data("whsec".utf8)))
        let hex = mac.map { String(format: "%02x", $0) }.joined()
        #expect(RazorpaySignature.isValid(hex, for: body, secret: "whsec"))
        #expect(!RazorpaySignature.isValid(hex, for: body, secret: "other"))
        #expect(!RazorpaySignature.isValid(String(hex.dropLast()), for: body, secret: "whsec"))
        #expect(!RazorpaySignature.isValid("", for: body, secret: "whsec"))
    }

    @Test func webhooksBecomeTheEventsThePaymentHandlerApplies() throws {
        let captured = Data(
            #"{"event":"payment.captured","payload":{"payment":{"entity":{"id":"pay_1","order_id":"order_1","amount":45600,"currency":"INR","status":"captured"}}}}"#
                .utf8)
        guard case .payment(let event) = try RazorpayWebhook.read(captured) else {
            Issue.record("payment.captured is a payment event")
            return
        }
        // The id is made of what the signature covers, not of the unsigned X-Razorpay-Event-Id header.
        #expect(event.id == "razorpay:payment.captured:pay_1" && event.type == "payment.succeeded")
        #expect(event.data.gatewayPaymentId == "order_1" && event.data.amountMinor == 45_600)
        let failed = Data(
            #"{"event":"payment.failed","payload":{"payment":{"entity":{"id":"pay_2","order_id":"order_1","amount":45600,"currency":"INR","status":"failed","error_description":"Card declined"}}}}"#
                .utf8)
        guard case .payment(let failure) = try RazorpayWebhook.read(failed) else {
            Issue.record("payment.failed is a payment event")
            return
        }
        #expect(failure.type == "payment.failed" && failure.data.failureReason == "Card declined")
        let refund = Data(
            #"{"event":"refund.failed","payload":{"refund":{"entity":{"id":"rfnd_1","amount":100}}}}"#.utf8)
        #expect(
            try RazorpayWebhook.read(refund)
                == .refund(.init(eventID: "razorpay:refund.failed:rfnd_1", gatewayRefundID: "rfnd_1", failed: true)))
        #expect(throws: APIError.self) { try RazorpayWebhook.read(Data("{}".utf8)) }
    }
}

extension PaymentPurpose {
    static let sample = PaymentPurpose(
        bookingID: UUID(), bookingReference: "BX-SAMPLE", email: "asha@example.com", phone: "+919876543210")
}

@Suite("Razorpay configuration")
struct RazorpayConfigurationTests {
    @Test func razorpayIsChosenExplicitlyAndNeedsAllItsKeys() throws {
        var env = OperationsHardeningTests.productionSecrets
        env["PAYMENT_GATEWAY"] = "razorpay"
        #expect(throws: ConfigError.self) { try AppConfig.load(from: env, environment: .production) }
        env["RAZORPAY_KEY_ID"] = "rzp_live_x"
        env["RAZORPAY_KEY_SECRET"] = "secret"
        #expect(throws: ConfigError.self) { try AppConfig.load(from: env, environment: .production) }
        env["RAZORPAY_WEBHOOK_SECRET"] = "whsec"
        let config = try AppConfig.load(from: env, environment: .production)
        #expect(config.paymentGateway == .razorpay)
        #expect(config.razorpay?.apiURL == "https://api.razorpay.com")
        env["RAZORPAY_API_URL"] = "http://127.0.0.1:9999"
        #expect(try AppConfig.load(from: env, environment: .production).razorpay?.apiURL == "http://127.0.0.1:9999")
        // Without Razorpay, nothing changes: the simulator in development, no gateway in production.
        #expect(try AppConfig.load(from: [:], environment: .development).razorpay == nil)
    }

    /// The Razorpay-only route exists only with Razorpay; the simulator's only with the simulator.
    @Test func eachGatewayHasOnlyItsOwnRoutes() async throws {
        let razorpay = try await RazorpayStandIn.start()
        do {
            try await withTestApp(configure: {
                $0.paymentGateway = .razorpay
                $0.razorpay = razorpay.keys
            }) { t in
                let asha = try await t.customer()
                let simulate = try await t.request(
                    .POST, "/payments/\(UUID())/simulate", json: ["outcome": "succeeded"], token: asha.accessToken)
                #expect(simulate.status == .notFound)
                let document = try await t.request(.GET, "/openapi.json").body.string
                #expect(document.contains("/payments/{id}/confirm"))
                #expect(!document.contains("/payments/{id}/simulate"))
            }
            try await withTestApp { t in
                let document = try await t.request(.GET, "/openapi.json").body.string
                #expect(!document.contains("/payments/{id}/confirm"))
            }
        } catch {
            await razorpay.stop()
            throw error
        }
        await razorpay.stop()
    }
}
