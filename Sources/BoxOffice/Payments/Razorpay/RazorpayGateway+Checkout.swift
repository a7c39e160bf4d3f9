import Foundation
import Vapor

/// Razorpay Checkout's signed answer, and asking Razorpay about an order whose webhook never came.
extension RazorpayGateway {
    var checkoutSteps: Set<CheckoutStep> { [.confirm] }
    var reconciles: Bool { true }

    /// Checkout's `razorpay_signature` (HMAC of `order_id|payment_id` with the key secret) proves the order was
    /// paid, so the customer sees it at once; the webhook that follows changes nothing.
    func confirmedEvent(for payment: Payment, proof: CheckoutProof) throws -> GatewayEvent {
        guard proof.orderID == payment.gatewayPaymentID,
            checkoutSignatureIsValid(orderID: proof.orderID, paymentID: proof.paymentID, signature: proof.signature)
        else {
            throw APIError.validation(field: "razorpay_signature", "does not match this payment's order")
        }
        return GatewayEvent(
            id: "checkout_\(proof.paymentID)", type: "payment.succeeded",
            data: .init(
                gatewayPaymentId: proof.orderID, amountMinor: payment.amountMinor, currency: payment.currency,
                failureReason: nil))
    }

    /// A captured payment is applied; an order nobody is paying any more is failed (abandoned); an order still being
    /// paid (`created` or `authorized` attempts) is left alone.
    func reconcile(_ payment: Payment) async throws -> GatewayEvent? {
        let attempts = try await payments(orderID: payment.gatewayPaymentID)
        if let captured = attempts.first(where: { $0.status == "captured" }) {
            return GatewayEvent(
                id: "reconcile_\(captured.id)", type: "payment.succeeded",
                data: .init(
                    gatewayPaymentId: payment.gatewayPaymentID, amountMinor: captured.amount,
                    currency: captured.currency, failureReason: nil))
        }
        if attempts.contains(where: { $0.status == "authorized" || $0.status == "created" }) { return nil }
        return GatewayEvent(
            id: "reconcile_abandoned_\(try payment.requireID().uuidString)", type: "payment.failed",
            data: .init(
                gatewayPaymentId: payment.gatewayPaymentID, amountMinor: payment.amountMinor,
                currency: payment.currency, failureReason: "Abandoned: Razorpay has no captured payment"))
    }
}
