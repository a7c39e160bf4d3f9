import Fluent
import SQLKit
import Vapor

extension PaymentService {
    /// Applies a gateway event exactly once: the event id is stored in the same transaction as its effect.
    func handle(_ event: GatewayEvent, on db: any Database) async throws -> WebhookAck {
        guard
            let payment = try await Payment.query(on: db).filter(\.$gatewayPaymentID == event.data.gatewayPaymentId)
                .first()
        else {
            throw APIError.validation(field: "data.gateway_payment_id", "is not a payment of ours")
        }
        guard event.data.amountMinor == payment.amountMinor, event.data.currency == payment.currency else {
            throw APIError.validation(field: "data.amount_minor", "does not match the payment's amount and currency")
        }
        let paymentID = try payment.requireID()
        // A booking past its window is judged as expired, whatever the expiry job has done so far.
        try await bookings.expireOverdue(on: db) { $0.filter(\.$id == payment.$booking.id) }
        let refund: Refund?
        do {
            refund = try await db.writeTransaction { tx -> Refund? in
                let record = PaymentEvent()
                record.eventID = event.id
                record.type = event.type
                record.paymentID = paymentID
                record.receivedAt = clock.now()
                try await record.create(on: tx)
                switch event.type {
                case "payment.succeeded":
                    guard let reason = try await succeeded(payment, on: tx) else { return nil }
                    // The money came in for seats we cannot give: it goes back, recorded with the payment itself.
                    return try await recordRefund(
                        paymentID, amount: nil, reason: reason, actor: .payment, actorID: nil, on: tx)
                case "payment.failed":
                    if try await setStatus(
                        paymentID, to: .failed, from: [.pending], reason: event.data.failureReason, on: tx)
                    {
                        metrics.increment("payments_total", by: 1, labels: ["outcome": "failed"])
                    }
                    return nil
                case "refund.succeeded":
                    return nil  // refunds are entered in the ledger when they are made
                default:
                    throw APIError.validation(field: "type", "is not an event this server handles")
                }
            }
        } catch let error
            where ConstraintViolation(error)?.violates(.paymentEventsEventID) == true
        {
            return WebhookAck(received: true, duplicate: true)
        }
        await outbox.kick(on: db)
        if let refund { await refundRecorded(refund, on: db) }
        // An exchange settled by this payment: its hold has served (its seats are the booking's now, or it lapsed).
        if event.type == "payment.succeeded", let exchangeID = payment.exchangeID,
            let exchange = try? await BookingExchange.find(exchangeID, on: db), exchange.status != .awaitingPayment
        {
            await releaseHold?(exchange.holdID)
        }
        return WebhookAck(received: true, duplicate: false)
    }

    /// Completes the payment and confirms its booking. A booking that expired meanwhile is re-seated if its show is
    /// still on sale and its seats and food are still there; otherwise (or if it was cancelled) the returned reason
    /// asks for a full refund and the booking stays as it is.
    private func succeeded(_ payment: Payment, on tx: any Database) async throws -> String? {
        let paymentID = try payment.requireID()
        guard try await setStatus(paymentID, to: .completed, from: [.pending, .failed], reason: nil, on: tx) else {
            return nil
        }
        metrics.increment("payments_total", by: 1, labels: ["outcome": "completed"])
        if let exchangeID = payment.exchangeID {
            // An exchange's difference: the swap happens now if it still can; else the money goes back.
            return try await ExchangeSwap.settle(
                exchangeID, actor: .payment, actorID: nil, now: clock.now(), on: tx
            ).map { "The exchange was not made: \($0)" }
        }
        let bookingID = payment.$booking.id
        guard let booking = try await Booking.find(bookingID, on: tx) else { return "The booking no longer exists" }
        switch booking.status {
        case .pending:
            try await bookings.confirm(bookingID, reason: "Payment \(payment.gatewayPaymentID) succeeded", on: tx)
        case .expired:
            if let refusal = try await bookings.revive(booking, on: tx) { return refusal }
        case .cancelled:
            return "Paid for a cancelled booking"
        case .confirmed:
            return "This booking was already paid"
        }
        return nil
    }

    @discardableResult
    private func setStatus(
        _ id: UUID, to status: PaymentStatus, from: [PaymentStatus], reason: String?, on db: any Database
    )
        async throws -> Bool
    {
        let sql = try db.sql()
        let now = clock.now()
        var update = sql.update(Payment.schema).set("status", to: status.rawValue).set("updated_at", to: now)
        if status == .completed { update = update.set("completed_at", to: now) }
        if let reason { update = update.set("failure_reason", to: reason) }
        let rows = try await update.where("id", .equal, id).where("status", .in, from.map(\.rawValue)).returning("id")
            .all()
        return rows.count == 1
    }
}
