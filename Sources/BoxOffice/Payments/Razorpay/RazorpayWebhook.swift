import Foundation
import Vapor

extension RazorpayGateway {
    static let signatureHeader = "X-Razorpay-Signature"

    /// `X-Razorpay-Signature` is a hex HMAC-SHA256 of the raw body keyed with `RAZORPAY_WEBHOOK_SECRET`; nothing
    /// else (no `BoxOffice-Signature`, no header of ours) can stand in for it.
    func verifiedWebhook(headers: HTTPHeaders, body: Data, now: Date) throws -> GatewayWebhook {
        guard let signature = headers.first(name: Self.signatureHeader),
            RazorpaySignature.isValid(signature, for: body, secret: webhookSecret)
        else {
            throw APIError.unauthorized(.invalidSignature, "The webhook signature is missing or wrong.")
        }
        return try RazorpayWebhook.read(body)
    }
}

/// A Razorpay webhook, turned into our own terms.
///
/// `payment.captured` and `order.paid` complete the payment (the second one finds it completed and changes nothing);
/// `payment.failed` fails it; `refund.processed` and `refund.failed` are a refund's final word. The id an event is
/// applied once under is made of what the signature covers, the event type and the entity's id, so a replayed body
/// is a duplicate whatever `X-Razorpay-Event-Id` (unsigned) says.
enum RazorpayWebhook {
    struct Envelope: Decodable {
        var event: String
        var payload: Payload
    }

    struct Payload: Decodable {
        var payment: Entity<RazorpayPayment>?
        var order: Entity<RazorpayOrder>?
        var refund: Entity<RazorpayRefund>?
    }

    struct Entity<Value: Decodable>: Decodable {
        var entity: Value
    }

    static func read(_ body: Data) throws -> GatewayWebhook {
        let envelope: Envelope
        do {
            envelope = try JSONDecoder().decode(Envelope.self, from: body)
        } catch {
            throw APIError.validation(field: "payload", "is not a Razorpay webhook")
        }
        switch envelope.event {
        case "payment.captured", "payment.failed", "order.paid":
            guard let payment = envelope.payload.payment?.entity, let orderID = payment.orderId else {
                throw APIError.validation(field: "payload.payment", "is missing")
            }
            return .payment(
                GatewayEvent(
                    id: "razorpay:\(envelope.event):\(payment.id)",
                    type: envelope.event == "payment.failed" ? "payment.failed" : "payment.succeeded",
                    data: .init(
                        gatewayPaymentId: orderID, amountMinor: payment.amount, currency: payment.currency,
                        failureReason: payment.errorDescription)))
        case "refund.processed", "refund.failed":
            guard let refund = envelope.payload.refund?.entity else {
                throw APIError.validation(field: "payload.refund", "is missing")
            }
            return .refund(
                .init(
                    eventID: "razorpay:\(envelope.event):\(refund.id)", gatewayRefundID: refund.id,
                    failed: envelope.event == "refund.failed"))
        case "refund.created", "refund.speed_changed", "payment.authorized":
            return .ignored(type: envelope.event)
        default:
            throw APIError.validation(field: "event", "is not an event this server handles")
        }
    }
}
