import Fluent
import SQLKit
import Vapor

extension PaymentService {
    /// Applies a gateway event exactly once: the event id is stored in the same transaction as its effect.
    func handle(_ event: GatewayEvent, on db: any Database) async throws -> WebhookAck {
        guard let payment = try await Payment.query(on: db).filter(\.$gatewayPaymentID == event.data.gatewayPaymentId).first() else {
            throw APIError.validation(field: "data.gateway_payment_id", "is not a payment of ours")
        }
        guard event.data.amountMinor == payment.amountMinor, event.data.currency == payment.currency else {
            throw APIError.validation(field: "data.amount_minor", "does not match the payment's amount and currency")
        }
        let paymentID = try payment.requireID()
        var refundReason: String?
        do {
            refundReason = try await db.transaction { tx -> String? in
                let record = PaymentEvent()
                record.eventID = event.id
                record.type = event.type
                record.paymentID = paymentID
                record.receivedAt = clock.now()
                try await record.create(on: tx)
                switch event.type {
                case "payment.succeeded": return try await succeeded(payment, on: tx)
                case "payment.failed":
                    try await setStatus(paymentID, to: .failed, from: [.pending], reason: event.data.failureReason, on: tx)
                    return nil
                case "refund.succeeded":
                    return nil  // refunds are entered in the ledger when they are made
                default:
                    throw APIError.validation(field: "type", "is not an event this server handles")
                }
            }
        } catch let error as any DatabaseError where error.isConstraintFailure && String(reflecting: error).contains("event_id") {
            return WebhookAck(received: true, duplicate: true)
        }
        if let refundReason {
            try await refund(paymentID, amount: nil, reason: refundReason, actor: .payment, actorID: nil, on: db)
        }
        return WebhookAck(received: true, duplicate: false)
    }

    /// Completes the payment and confirms its booking. A booking that expired meanwhile is re-seated if its
    /// seats are still free; otherwise (or if it was cancelled) the returned reason asks for a full refund.
    private func succeeded(_ payment: Payment, on tx: any Database) async throws -> String? {
        let paymentID = try payment.requireID()
        guard try await setStatus(paymentID, to: .completed, from: [.pending, .failed], reason: nil, on: tx) else { return nil }
        metrics.increment("payments_completed_total")
        let bookingID = payment.$booking.id
        guard let booking = try await Booking.find(bookingID, on: tx) else { return "The booking no longer exists" }
        switch booking.status {
        case .pending:
            _ = try await expiry.transition(bookingID, from: .pending, to: .confirmed, actor: .payment, actorID: nil,
                reason: "Payment \(payment.gatewayPaymentID) succeeded", on: tx)
        case .expired:
            guard try await seatsStillFree(booking, on: tx) else {
                return "Paid after the payment window; the seats were taken"
            }
            try await BookingSeat.query(on: tx).filter(\.$booking.$id == bookingID).set(\.$isActive, to: true).update()
            _ = try await expiry.transition(bookingID, from: .expired, to: .confirmed, actor: .payment, actorID: nil,
                reason: "Paid after the payment window; the seats were still free", on: tx)
        case .cancelled:
            return "Paid for a cancelled booking"
        case .confirmed:
            return "This booking was already paid"
        }
        try await redeemDiscount(of: booking, on: tx)
        await events.publish(NotificationEvent(kind: .bookingConfirmed, userID: booking.$user.id, bookingID: bookingID,
            message: "Booking \(booking.reference) is confirmed."))
        return nil
    }

    @discardableResult
    private func setStatus(_ id: UUID, to status: PaymentStatus, from: [PaymentStatus], reason: String?, on db: any Database)
        async throws -> Bool {
        guard let sql = db as? any SQLDatabase else { throw APIError.internalError }
        let now = clock.now()
        var update = sql.update(Payment.schema).set("status", to: status.rawValue).set("updated_at", to: now)
        if status == .completed { update = update.set("completed_at", to: now) }
        if let reason { update = update.set("failure_reason", to: reason) }
        let rows = try await update.where("id", .equal, id).where("status", .in, from.map(\.rawValue)).returning("id").all()
        return rows.count == 1
    }

    private func seatsStillFree(_ booking: Booking, on db: any Database) async throws -> Bool {
        let seatIDs = try await BookingSeat.query(on: db).filter(\.$booking.$id == booking.requireID()).all().map { $0.$seat.id }
        let taken = try await BookingSeat.query(on: db)
            .filter(\.$showID == booking.$show.id).filter(\.$isActive == true).filter(\.$seat.$id ~~ seatIDs).count()
        return taken == 0
    }

    /// Records the promo code's use once the booking is paid; the total count grows by a conditional update.
    private func redeemDiscount(of booking: Booking, on db: any Database) async throws {
        guard let discountID = booking.$discount.id else { return }
        if let discount = try await Discount.find(discountID, on: db), let perUser = discount.usageLimitPerUser {
            let used = try await DiscountRedemption.query(on: db).filter(\.$discount.$id == discountID)
                .filter(\.$user.$id == booking.$user.id).count()
            // Two unpaid bookings can both carry a once-per-customer code; the second payment keeps its quoted price.
            if used >= perUser { metrics.increment("discount_overused_total") }
        }
        try await DiscountRedemption(discountID: discountID, userID: booking.$user.id, bookingID: booking.requireID(),
            redeemedAt: clock.now()).create(on: db)
        guard let sql = db as? any SQLDatabase else { return }
        let rows = try await sql.update(Discount.schema)
            .set(SQLIdentifier("times_used"), to: SQLBinaryExpression(SQLIdentifier("times_used"), .add, SQLLiteral.numeric("1")))
            .where("id", .equal, discountID)
            .where(SQLGroupExpression(SQLBinaryExpression(
                SQLBinaryExpression(SQLIdentifier("usage_limit_total"), .is, SQLLiteral.null), .or,
                SQLBinaryExpression(SQLIdentifier("times_used"), .lessThan, SQLIdentifier("usage_limit_total")))))
            .returning("id").all()
        if rows.isEmpty {
            // The customer paid the price they were quoted; the code ran out meanwhile. Keep the sale, say so.
            metrics.increment("discount_overused_total")
        }
    }
}
