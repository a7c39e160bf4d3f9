import Foundation
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

/// What a gateway's refund call answered: its refund id, and whether the money is already on its way back
/// (`processed`) or the gateway will say so later in a webhook (Razorpay's `pending`).
struct GatewayRefund: Sendable, Equatable {
    var id: String
    var processed: Bool
}

/// A verified webhook, in our own terms.
enum GatewayWebhook: Sendable, Equatable {
    /// A payment succeeded or failed.
    case payment(GatewayEvent)
    /// The gateway's final word on a refund it accepted earlier.
    case refund(RefundOutcome)
    /// A genuine event this server does not act on (acknowledged, so the gateway stops retrying it).
    case ignored(type: String)

    struct RefundOutcome: Sendable, Equatable {
        /// Derived from what the signature covers (the event type and the refund's id), never from a header.
        var eventID: String
        var gatewayRefundID: String
        var failed: Bool
    }
}

/// The customer-facing steps a gateway adds to `/payments/{id}`, registered only where the gateway has them.
enum CheckoutStep: Sendable {
    /// `POST /payments/{id}/simulate`: complete or fail a payment by hand (the simulator).
    case simulate
    /// `POST /payments/{id}/confirm`: the gateway's signed answer from its checkout (Razorpay Checkout).
    case confirm
}

/// What a client sends back from the gateway's checkout as proof of payment.
struct CheckoutProof: Sendable {
    var orderID: String
    var paymentID: String
    var signature: String
}

/// A payment provider. The gateway reports outcomes asynchronously to `POST /payments/webhook`. Everything that
/// differs between gateways is here, so a new one is a type of its own and a line in `makePaymentGateway`.
protocol PaymentGateway: Sendable {
    var name: String { get }
    /// Whether the checkout shows the payer's email and phone (a lookup the others skip).
    var usesPayerDetails: Bool { get }
    /// The extra customer routes this gateway needs.
    var checkoutSteps: Set<CheckoutStep> { get }
    /// Whether `reconcile` can learn anything (the job skips the query otherwise).
    var reconciles: Bool { get }
    /// What start-up says about this gateway, if anything.
    func startupWarning(production: Bool) -> (level: Logger.Level, message: String)?
    func createPayment(
        id: UUID, amountMinor: Int, currency: String, method: PaymentMethod, for purpose: PaymentPurpose
    ) async throws -> GatewayCheckout
    /// The checkout of a payment already created (asking to pay again returns the open payment).
    func reopen(_ payment: Payment, for purpose: PaymentPurpose) async throws -> [String: String]
    /// Refunds part or all of a completed payment. Idempotent on `refundID`: asked again, the gateway answers with
    /// the refund it already made (and its current state) unless that one failed.
    func refund(gatewayPaymentID: String, amountMinor: Int, refundID: UUID) async throws -> GatewayRefund
    /// Verifies a webhook with this gateway's own signature scheme, and only that one: whatever other headers the
    /// request carries, a request this gateway did not sign is a 401. Then reads it into our own terms.
    func verifiedWebhook(headers: HTTPHeaders, body: Data, now: Date) throws -> GatewayWebhook
    /// `.simulate`: the event the gateway's webhook would carry for this outcome.
    func simulatedEvent(for payment: Payment, succeeded: Bool) throws -> GatewayEvent
    /// `.confirm`: checks the checkout's proof and returns the success event it stands for.
    func confirmedEvent(for payment: Payment, proof: CheckoutProof) throws -> GatewayEvent
    /// A PENDING payment whose webhook never came: the event to apply, or nil while it is still being paid.
    func reconcile(_ payment: Payment) async throws -> GatewayEvent?
}

extension PaymentGateway {
    var usesPayerDetails: Bool { false }
    var checkoutSteps: Set<CheckoutStep> { [] }
    var reconciles: Bool { false }
    func startupWarning(production: Bool) -> (level: Logger.Level, message: String)? { nil }

    func simulatedEvent(for payment: Payment, succeeded: Bool) throws -> GatewayEvent {
        throw APIError.notFound("Payment")
    }

    func confirmedEvent(for payment: Payment, proof: CheckoutProof) throws -> GatewayEvent {
        throw APIError.notFound("Payment")
    }

    func reconcile(_ payment: Payment) async throws -> GatewayEvent? { nil }

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
    case .simulator:
        return SimulatorGateway(webhookSecret: config.paymentWebhookSecret, failRefunds: config.simulatorFailRefunds)
    case .none: return UnconfiguredGateway()
    case .razorpay:
        guard let keys = config.razorpay else { return UnconfiguredGateway() }
        return RazorpayGateway(
            keyID: keys.keyID, keySecret: keys.keySecret, webhookSecret: keys.webhookSecret, apiURL: keys.apiURL,
            client: client, checkoutScriptURL: keys.checkoutScriptURL)
    }
}

/// No gateway is configured (production without `PAYMENT_GATEWAY`): nothing can be paid or refunded.
struct UnconfiguredGateway: PaymentGateway {
    let name = "none"

    func startupWarning(production: Bool) -> (level: Logger.Level, message: String)? {
        (.warning, "no payment gateway is configured (PAYMENT_GATEWAY): payments answer 503")
    }

    func createPayment(
        id: UUID, amountMinor: Int, currency: String, method: PaymentMethod, for purpose: PaymentPurpose
    ) async throws -> GatewayCheckout {
        throw APIError.serviceUnavailable("Payments are not configured on this server.")
    }

    func refund(gatewayPaymentID: String, amountMinor: Int, refundID: UUID) async throws -> GatewayRefund {
        throw GatewayError.unavailable("No payment gateway is configured.")
    }

    /// Nobody may tell this server that money moved when it takes no payments.
    func verifiedWebhook(headers: HTTPHeaders, body: Data, now: Date) throws -> GatewayWebhook {
        throw APIError.unauthorized(.invalidSignature, "No payment gateway is configured on this server.")
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
