import Crypto
import Foundation
import NIOConcurrencyHelpers
import Vapor

/// The built-in gateway for development and tests: payments complete or fail when
/// `POST /payments/{id}/simulate` says so, which applies the event a gateway's webhook would carry.
/// Its first `failRefunds` refund calls fail (`SIMULATOR_FAIL_REFUNDS`), to exercise refund retries. Its webhooks are
/// signed with `PAYMENT_WEBHOOK_SECRET` (`BoxOffice-Signature`); no other gateway accepts that header.
struct SimulatorGateway: PaymentGateway {
    let name = "simulator"
    let signature: WebhookSignature
    private let refundFailuresLeft: NIOLockedValueBox<Int>

    init(webhookSecret: String, failRefunds: Int = 0) {
        signature = WebhookSignature(secret: webhookSecret)
        refundFailuresLeft = NIOLockedValueBox(max(0, failRefunds))
    }

    var checkoutSteps: Set<CheckoutStep> { [.simulate] }

    /// The simulator confirms bookings without money, so running it in production is said loudly.
    func startupWarning(production: Bool) -> (level: Logger.Level, message: String)? {
        production
            ? (.critical, "PAYMENT_GATEWAY=simulator in production: bookings can be confirmed without payment") : nil
    }

    func simulatedEvent(for payment: Payment, succeeded: Bool) throws -> GatewayEvent {
        GatewayEvent(
            id: "evt_\(UUID().uuidString.lowercased())", type: succeeded ? "payment.succeeded" : "payment.failed",
            data: .init(
                gatewayPaymentId: payment.gatewayPaymentID, amountMinor: payment.amountMinor,
                currency: payment.currency, failureReason: succeeded ? nil : "Declined by the simulator"))
    }

    func verifiedWebhook(headers: HTTPHeaders, body: Data, now: Date) throws -> GatewayWebhook {
        try signature.verify(headers.first(name: WebhookSignature.header), body: body, now: now)
        return .payment(try JSONDecoder.api.decode(GatewayEvent.self, from: body))
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

    func refund(gatewayPaymentID: String, amountMinor: Int, refundID: UUID) async throws -> GatewayRefund {
        let fail = refundFailuresLeft.withLockedValue { left in
            guard left > 0 else { return false }
            left -= 1
            return true
        }
        if fail { throw GatewayError.unavailable("The simulator was told to fail this refund call.") }
        return GatewayRefund(id: "sim_ref_\(refundID.uuidString.lowercased())", processed: true)
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
            throw APIError.badRequest(.signatureMissing, "The \(Self.header) header is missing.")
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
            throw APIError.badRequest(.signatureMalformed, "The \(Self.header) header must be t=<unix>,v1=<hex>.")
        }
        guard abs(now.timeIntervalSince1970 - TimeInterval(timestamp)) <= Self.tolerance else {
            throw APIError.badRequest(
                .signatureExpired, "The webhook timestamp is more than 5 minutes away from now.")
        }
        let expected = Data(mac(body, timestamp).utf8)
        // Constant-time comparison, so timing does not leak how much of a forged signature was right.
        guard signatures.contains(where: { constantTimeEqual(Data($0.utf8), expected) }) else {
            throw APIError.unauthorized(.invalidSignature, "The webhook signature does not match.")
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
