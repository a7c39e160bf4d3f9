import AsyncHTTPClient
import Crypto
import Foundation
import NIOCore
import NIOFoundationCompat
import NIOHTTP1
import Vapor

/// Razorpay, over its REST API (`RAZORPAY_API_URL`, Basic auth with the key id and secret).
///
/// A payment is a Razorpay order for the booking's exact total (paise); the client pays it with Razorpay Checkout
/// using the returned `key_id` and `order_id`. Outcomes arrive as signed webhooks (see `RazorpayWebhook`) and, for
/// the customer's own view, through `POST /payments/{id}/confirm`. Refunds go to the order's captured payment,
/// idempotent on our refund id (the refund's `receipt`). Calls time out, and 5xx answers and network errors are
/// retried with backoff; 4xx answers are not.
struct RazorpayGateway: PaymentGateway {
    let name = "razorpay"
    let usesPayerDetails = true
    let keyID: String
    let keySecret: String
    let webhookSecret: String
    let apiURL: String
    let client: HTTPClient
    /// Razorpay Checkout's script for the web client (`checkout.script_url`).
    var checkoutScriptURL = "https://checkout.razorpay.com/v1/checkout.js"
    var merchantName = "BoxOffice"
    var attempts = 3
    var backoff: Duration = .milliseconds(250)
    var timeout: TimeAmount = .seconds(8)

    func createPayment(
        id: UUID, amountMinor: Int, currency: String, method: PaymentMethod, for purpose: PaymentPurpose
    ) async throws -> GatewayCheckout {
        struct Order: Encodable {
            var amount: Int
            var currency: String
            var receipt: String
            var notes: [String: String]
        }
        let order: RazorpayOrder = try await call(
            .POST, "/v1/orders",
            body: Order(
                amount: amountMinor, currency: currency, receipt: purpose.bookingReference,
                notes: [
                    "payment_id": id.uuidString, "booking_id": purpose.bookingID.uuidString, "method": method.rawValue,
                ]))
        return GatewayCheckout(
            gatewayPaymentID: order.id,
            details: checkout(orderID: order.id, amountMinor: order.amount, currency: order.currency, for: purpose))
    }

    /// The open payment's order is paid as it is: no second order.
    func reopen(_ payment: Payment, for purpose: PaymentPurpose) async throws -> [String: String] {
        checkout(
            orderID: payment.gatewayPaymentID, amountMinor: payment.amountMinor, currency: payment.currency,
            for: purpose)
    }

    /// What Razorpay Checkout needs: the public key id, the order, the amount, the merchant's name, the prefill.
    private func checkout(orderID: String, amountMinor: Int, currency: String, for purpose: PaymentPurpose)
        -> [String: String]
    {
        var details = [
            "key_id": keyID, "order_id": orderID, "amount": String(amountMinor), "currency": currency,
            "name": merchantName, "description": "Booking \(purpose.bookingReference)",
            "script_url": checkoutScriptURL,
        ]
        if let email = purpose.email { details["prefill_email"] = email }
        if let phone = purpose.phone { details["prefill_contact"] = phone }
        return details
    }

    /// Refunds `amountMinor` of the order's captured payment. A refund with our id as its receipt is returned
    /// instead of a second one, so a retried call never refunds twice; a failed one is replaced by a new refund.
    /// Razorpay may answer `pending` (the bank has not processed it yet): `refund.processed` or `refund.failed`
    /// follows, and asking again later reads the refund's state.
    func refund(gatewayPaymentID: String, amountMinor: Int, refundID: UUID) async throws -> GatewayRefund {
        guard let captured = try await capturedPayment(orderID: gatewayPaymentID) else {
            throw GatewayError.unavailable("Razorpay has no captured payment for order \(gatewayPaymentID).")
        }
        let existing: RazorpayCollection<RazorpayRefund> = try await call(
            .GET, "/v1/payments/\(captured.id)/refunds", body: Optional<String>.none)
        if let refund = existing.items.first(where: { $0.receipt == refundID.uuidString && $0.status != "failed" }) {
            return GatewayRefund(id: refund.id, processed: refund.status == "processed")
        }
        struct Refund: Encodable {
            var amount: Int
            var receipt: String
        }
        let refund: RazorpayRefund = try await call(
            .POST, "/v1/payments/\(captured.id)/refund", body: Refund(amount: amountMinor, receipt: refundID.uuidString)
        )
        return GatewayRefund(id: refund.id, processed: refund.status == "processed")
    }

    /// The order's captured payment, if any: what reconciliation applies when its webhook never came.
    func capturedPayment(orderID: String) async throws -> RazorpayPayment? {
        let payments: RazorpayCollection<RazorpayPayment> = try await call(
            .GET, "/v1/orders/\(orderID)/payments", body: Optional<String>.none)
        return payments.items.first { $0.status == "captured" }
    }

    /// The order's payments, newest first as Razorpay lists them.
    func payments(orderID: String) async throws -> [RazorpayPayment] {
        let payments: RazorpayCollection<RazorpayPayment> = try await call(
            .GET, "/v1/orders/\(orderID)/payments", body: Optional<String>.none)
        return payments.items
    }

    /// `razorpay_signature` of Checkout: hex HMAC-SHA256 of `order_id|payment_id` keyed with the key secret.
    func checkoutSignatureIsValid(orderID: String, paymentID: String, signature: String) -> Bool {
        RazorpaySignature.isValid(signature, for: Data("\(orderID)|\(paymentID)".utf8), secret: keySecret)
    }

    private func call<Body: Encodable, Reply: Decodable>(_ method: HTTPMethod, _ path: String, body: Body?)
        async throws -> Reply
    {
        var request = HTTPClientRequest(url: apiURL + path)
        request.method = method
        let credentials = Data("\(keyID):\(keySecret)".utf8).base64EncodedString()
        request.headers.add(name: "Authorization", value: "Basic \(credentials)")
        request.headers.add(name: "Accept", value: "application/json")
        if let body {
            request.headers.add(name: "Content-Type", value: "application/json")
            request.body = .bytes(ByteBuffer(data: try JSONEncoder().encode(body)))
        }
        var lastError: any Error = GatewayError.unavailable("Razorpay was not called.")
        for attempt in 0..<max(1, attempts) {
            if attempt > 0 { try await Task.sleep(for: backoff * (1 << (attempt - 1))) }
            do {
                let response = try await client.execute(request, timeout: timeout)
                let data = Data(buffer: try await response.body.collect(upTo: 4 << 20))
                switch response.status.code {
                case 200..<300:
                    return try JSONDecoder().decode(Reply.self, from: data)
                case 500...:
                    lastError = GatewayError.unavailable("Razorpay answered \(response.status.code).")
                    continue
                default:
                    // Razorpay's error format: {"error": {"code": "BAD_REQUEST_ERROR", "description": …}}.
                    let description = (try? JSONDecoder().decode(RazorpayErrorReply.self, from: data))?.error
                        .description
                    throw RazorpayError.refused(status: response.status.code, description ?? "no description")
                }
            } catch let error as RazorpayError {
                throw error
            } catch let error as DecodingError {
                throw GatewayError.unavailable("Razorpay's answer could not be read: \(error)")
            } catch {
                lastError = error
            }
        }
        throw GatewayError.unavailable("Razorpay could not be reached: \(lastError)")
    }
}

struct RazorpayOrder: Decodable, Sendable {
    var id: String
    var amount: Int
    var currency: String
    var status: String
}

struct RazorpayPayment: Decodable, Sendable {
    var id: String
    var orderId: String?
    var amount: Int
    var currency: String
    var status: String
    var errorDescription: String?

    enum CodingKeys: String, CodingKey {
        case id, amount, currency, status
        case orderId = "order_id"
        case errorDescription = "error_description"
    }
}

struct RazorpayRefund: Decodable, Sendable {
    var id: String
    var amount: Int
    var receipt: String?
    var status: String?
}

struct RazorpayCollection<Item: Decodable & Sendable>: Decodable, Sendable {
    var items: [Item]
}

struct RazorpayErrorReply: Decodable {
    struct Detail: Decodable {
        var code: String?
        var description: String?
    }
    var error: Detail
}

enum RazorpayError: Error, CustomStringConvertible {
    /// A 4xx: our request was wrong or refused; retrying would not help.
    case refused(status: UInt, String)

    var description: String {
        switch self {
        case .refused(let status, let detail): return "Razorpay refused the request (\(status)): \(detail)"
        }
    }
}

/// Hex HMAC-SHA256, compared in constant time: webhooks (`X-Razorpay-Signature`, keyed with the webhook secret) and
/// Checkout's `razorpay_signature` (keyed with the key secret).
enum RazorpaySignature {
    static func isValid(_ signature: String, for message: Data, secret: String) -> Bool {
        let expected = HMAC<SHA256>.authenticationCode(for: message, using: SymmetricKey(data: Data(secret.utf8)))
        let hex = Array(expected.map { String(format: "%02x", $0) }.joined().utf8)
        let given = Array(signature.lowercased().utf8)
        guard given.count == hex.count else { return false }
        var difference: UInt8 = 0
        for index in 0..<hex.count { difference |= hex[index] ^ given[index] }
        return difference == 0
    }
}
