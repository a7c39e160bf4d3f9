import Crypto
import Foundation
import NIOConcurrencyHelpers
import Vapor

/// What a client needs to pay, as the gateway describes it.
struct GatewayCheckout: Sendable {
    var gatewayPaymentID: String
    var details: [String: String]
}

/// What a payment is for, as a gateway may show it (Razorpay's receipt, notes and Checkout prefill).
struct PaymentPurpose: Sendable {
    var bookingID: UUID
    var bookingReference: String
    var email: String?
    var phone: String?
}

/// A payment provider. The gateway reports outcomes asynchronously to `POST /payments/webhook`.
protocol PaymentGateway: Sendable {
    var name: String { get }
    /// Whether the checkout shows the payer's email and phone (a lookup the others skip).
    var usesPayerDetails: Bool { get }
    func createPayment(
        id: UUID, amountMinor: Int, currency: String, method: PaymentMethod, for purpose: PaymentPurpose
    ) async throws -> GatewayCheckout
    /// The checkout of a payment already created (asking to pay again returns the open payment).
    func reopen(_ payment: Payment, for purpose: PaymentPurpose) async throws -> [String: String]
    /// Refunds part or all of a completed payment; returns the gateway's refund id.
    func refund(gatewayPaymentID: String, amountMinor: Int, refundID: UUID) async throws -> String
}

/// The built-in gateway for development and tests: payments complete or fail when
/// `POST /payments/{id}/simulate` says so, which applies the event a gateway's webhook would carry.
/// Its first `failRefunds` refund calls fail (`SIMULATOR_FAIL_REFUNDS`), to exercise refund retries.
struct SimulatorGateway: PaymentGateway {
    let name = "simulator"
    private let refundFailuresLeft: NIOLockedValueBox<Int>

    init(failRefunds: Int = 0) {
        refundFailuresLeft = NIOLockedValueBox(max(0, failRefunds))
    }

    func createPayment(
        id: UUID, amountMinor: Int, currency: String, method: PaymentMethod, for purpose: PaymentPurpose
    ) async throws -> GatewayCheckout {
        GatewayCheckout(
            gatewayPaymentID: "sim_pay_\(id.uuidString.lowercased())",
            details: [
                "simulate_url": "/payments/\(id.uuidString)/simulate",
                "instructions": "POST {\"outcome\": \"succeeded\"} or {\"outcome\": \"failed\"} to simulate_url",
            ])
    }

    func refund(gatewayPaymentID: String, amountMinor: Int, refundID: UUID) async throws -> String {
        let fail = refundFailuresLeft.withLockedValue { left in
            guard left > 0 else { return false }
            left -= 1
            return true
        }
        if fail { throw GatewayError.unavailable("The simulator was told to fail this refund call.") }
        return "sim_ref_\(refundID.uuidString.lowercased())"
    }
}

extension PaymentGateway {
    var usesPayerDetails: Bool { false }

    /// By default the gateway is asked again with the same payment id (the simulator's answer is the same).
    func reopen(_ payment: Payment, for purpose: PaymentPurpose) async throws -> [String: String] {
        try await createPayment(
            id: payment.requireID(), amountMinor: payment.amountMinor, currency: payment.currency,
            method: payment.method, for: purpose
        ).details
    }
}

/// The gateway `PAYMENT_GATEWAY` names (production has none unless it is set).
func makePaymentGateway(_ config: AppConfig, client: HTTPClient) -> any PaymentGateway {
    switch config.paymentGateway {
    case .simulator: return SimulatorGateway(failRefunds: config.simulatorFailRefunds)
    case .none: return UnconfiguredGateway()
    case .razorpay:
        guard let keys = config.razorpay else { return UnconfiguredGateway() }
        return RazorpayGateway(
            keyID: keys.keyID, keySecret: keys.keySecret, webhookSecret: keys.webhookSecret, apiURL: keys.apiURL,
            client: client)
    }
}

/// No gateway is configured (production without `PAYMENT_GATEWAY`): nothing can be paid or refunded.
struct UnconfiguredGateway: PaymentGateway {
    let name = "none"

    func createPayment(
        id: UUID, amountMinor: Int, currency: String, method: PaymentMethod, for purpose: PaymentPurpose
    ) async throws -> GatewayCheckout {
        throw APIError.serviceUnavailable("Payments are not configured on this server.")
    }

    func refund(gatewayPaymentID: String, amountMinor: Int, refundID: UUID) async throws -> String {
        throw GatewayError.unavailable("No payment gateway is configured.")
    }
}

enum GatewayError: Error, CustomStringConvertible {
    case unavailable(String)

    var description: String {
        switch self {
        case .unavailable(let detail): return "gateway unavailable: \(detail)"
        }
    }
}

/// `t=<unix seconds>,v1=<hex HMAC-SHA256 of "t.rawbody">`, keyed with `PAYMENT_WEBHOOK_SECRET`.
struct WebhookSignature: Sendable {
    static let header = "BoxOffice-Signature"
    static let tolerance: TimeInterval = 300
    let secret: String

    func sign(_ body: Data, at time: Date) -> String {
        let timestamp = Int(time.timeIntervalSince1970)
        return "t=\(timestamp),v1=\(mac(body, timestamp))"
    }

    /// Throws a 400 for a missing or malformed header or a stale timestamp, and a 401 for a wrong signature.
    func verify(_ header: String?, body: Data, now: Date) throws {
        guard let header, !header.isEmpty else {
            throw APIError.badRequest("signature_missing", "The \(Self.header) header is missing.")
        }
        var timestamp: Int?
        var signatures: [String] = []
        for part in header.split(separator: ",") {
            let pair = part.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
            guard pair.count == 2 else { continue }
            if pair[0] == "t" { timestamp = Int(pair[1]) }
            if pair[0] == "v1" { signatures.append(pair[1]) }
        }
        guard let timestamp, !signatures.isEmpty else {
            throw APIError.badRequest("signature_malformed", "The \(Self.header) header must be t=<unix>,v1=<hex>.")
        }
        guard abs(now.timeIntervalSince1970 - TimeInterval(timestamp)) <= Self.tolerance else {
            throw APIError.badRequest(
                "signature_expired", "The webhook timestamp is more than 5 minutes away from now.")
        }
        let expected = Data(mac(body, timestamp).utf8)
        // Constant-time comparison, so timing does not leak how much of a forged signature was right.
        guard signatures.contains(where: { constantTimeEqual(Data($0.utf8), expected) }) else {
            throw APIError.unauthorized("signature_invalid", "The webhook signature does not match.")
        }
    }

    private func mac(_ body: Data, _ timestamp: Int) -> String {
        var message = Data("\(timestamp).".utf8)
        message.append(body)
        let code = HMAC<SHA256>.authenticationCode(for: message, using: SymmetricKey(data: Data(secret.utf8)))
        return code.hex
    }

    private func constantTimeEqual(_ lhs: Data, _ rhs: Data) -> Bool {
        guard lhs.count == rhs.count else { return false }
        return zip(lhs, rhs).reduce(0) { $0 | ($1.0 ^ $1.1) } == 0
    }
}
