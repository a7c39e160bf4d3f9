import Crypto
import Fluent
import Foundation
import Vapor

/// The Razorpay paths into the one exactly-once payment handler: signed webhooks, the customer's Checkout
/// confirmation, and reconciliation of payments whose webhook never came.
extension PaymentService {
    static let razorpaySignatureHeader = "X-Razorpay-Signature"
    static let razorpayEventIDHeader = "X-Razorpay-Event-Id"

    /// A Razorpay webhook: the signature is a hex HMAC-SHA256 of the raw body with `RAZORPAY_WEBHOOK_SECRET`.
    func handleRazorpayWebhook(body: Data, signature: String, eventID: String?, on db: any Database) async throws
        -> WebhookAck
    {
        guard let razorpay = gateway as? RazorpayGateway,
            RazorpaySignature.isValid(signature, for: body, secret: razorpay.webhookSecret)
        else {
            throw APIError.unauthorized("invalid_signature", "The webhook signature is missing, wrong or stale.")
        }
        // Razorpay sends the same event id on every retry of one event; without it, the body's digest stands in.
        let id =
            eventID.flatMap { $0.isEmpty ? nil : $0 }
            ?? "rzp_" + SHA256.hash(data: body).map { String(format: "%02x", $0) }.joined()
        if let refund = try RazorpayWebhook.refundOutcome(from: body) {
            return try await applyRefundOutcome(refund, eventID: id, on: db)
        }
        return try await handle(try RazorpayWebhook.event(from: body, eventID: id), on: db)
    }

    /// `POST /payments/{id}/confirm`: Checkout's `razorpay_signature` (HMAC of `order_id|payment_id` with the key
    /// secret) proves the order was paid, so the customer sees it at once; the webhook that follows changes nothing.
    func confirmRazorpay(
        _ payment: Payment, orderID: String, paymentID: String, signature: String, on db: any Database
    ) async throws {
        guard let razorpay = gateway as? RazorpayGateway else { throw APIError.notFound("Payment") }
        guard orderID == payment.gatewayPaymentID,
            razorpay.checkoutSignatureIsValid(orderID: orderID, paymentID: paymentID, signature: signature)
        else {
            throw APIError.validation(field: "razorpay_signature", "does not match this payment's order")
        }
        _ = try await handle(
            GatewayEvent(
                id: "checkout_\(paymentID)", type: "payment.succeeded",
                data: .init(
                    gatewayPaymentId: orderID, amountMinor: payment.amountMinor, currency: payment.currency,
                    failureReason: nil)),
            on: db)
    }

    /// PENDING Razorpay payments older than `olderThan` are asked about: a captured payment whose webhook never
    /// came is applied; an order nobody paid is failed (abandoned). Returns how many changed.
    @discardableResult
    func reconcileRazorpay(olderThan age: TimeInterval, on db: any Database, limit: Int = 50) async throws -> Int {
        guard let razorpay = gateway as? RazorpayGateway else { return 0 }
        let stale = try await Payment.query(on: db).filter(\.$status == .pending).filter(\.$gateway == razorpay.name)
            .filter(\.$createdAt <= clock.now().addingTimeInterval(-age)).sort(\.$createdAt).limit(limit).all()
        var changed = 0
        for payment in stale {
            do {
                let attempts = try await razorpay.payments(orderID: payment.gatewayPaymentID)
                let event: GatewayEvent
                if let captured = attempts.first(where: { $0.status == "captured" }) {
                    event = GatewayEvent(
                        id: "reconcile_\(captured.id)", type: "payment.succeeded",
                        data: .init(
                            gatewayPaymentId: payment.gatewayPaymentID, amountMinor: captured.amount,
                            currency: captured.currency, failureReason: nil))
                } else if attempts.contains(where: { $0.status == "authorized" || $0.status == "created" }) {
                    continue  // still being paid
                } else {
                    event = GatewayEvent(
                        id: "reconcile_abandoned_\(try payment.requireID().uuidString)", type: "payment.failed",
                        data: .init(
                            gatewayPaymentId: payment.gatewayPaymentID, amountMinor: payment.amountMinor,
                            currency: payment.currency, failureReason: "Abandoned: Razorpay has no captured payment"))
                }
                if try await !handle(event, on: db).duplicate { changed += 1 }
            } catch {
                continue  // Razorpay or one payment is unavailable: the next run asks again
            }
        }
        return changed
    }

    /// `refund.failed`: the refund goes back to PENDING and is sent again (with a new Razorpay refund: the failed
    /// one is skipped); `refund.processed` is acknowledged. Each event once.
    private func applyRefundOutcome(_ outcome: RazorpayWebhook.RefundOutcome, eventID: String, on db: any Database)
        async throws -> WebhookAck
    {
        if try await PaymentEvent.query(on: db).filter(\.$eventID == eventID).first() != nil {
            return WebhookAck(received: true, duplicate: true)
        }
        guard let refund = try await Refund.query(on: db).filter(\.$gatewayRefundID == outcome.refundID).first() else {
            return WebhookAck(received: true, duplicate: false)  // not one of ours (or not yet recorded)
        }
        do {
            try await db.writeTransaction { tx in
                let record = PaymentEvent()
                record.eventID = eventID
                record.type = outcome.failed ? "refund.failed" : "refund.processed"
                record.paymentID = refund.$payment.id
                record.receivedAt = clock.now()
                try await record.create(on: tx)
                guard outcome.failed else { return }
                refund.status = .pending
                refund.gatewayRefundID = nil
                refund.completedAt = nil
                refund.nextAttemptAt = clock.now()
                refund.lastError = "Razorpay reported the refund failed"
                try await refund.save(on: tx)
            }
        } catch let error
            where ConstraintViolation(error)?.isUnique(
                "uq_payment_events_event_id", on: PaymentEvent.schema, "event_id")
            == true
        {
            return WebhookAck(received: true, duplicate: true)
        }
        return WebhookAck(received: true, duplicate: false)
    }
}

extension RazorpayWebhook {
    struct RefundOutcome {
        var refundID: String
        var failed: Bool
    }

    /// The refund a `refund.processed` or `refund.failed` webhook is about; nil for other events.
    static func refundOutcome(from body: Data) throws -> RefundOutcome? {
        guard let envelope = try? JSONDecoder().decode(Envelope.self, from: body),
            envelope.event == "refund.processed" || envelope.event == "refund.failed"
        else { return nil }
        guard let refund = envelope.payload.refund?.entity else {
            throw APIError.validation(field: "payload.refund", "is missing")
        }
        return RefundOutcome(refundID: refund.id, failed: envelope.event == "refund.failed")
    }
}
