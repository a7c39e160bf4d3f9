import Fluent
import SQLKit
import Vapor

/// Payments and refunds. Money moves only through conditional updates and ledger rows, so no sequence of
/// duplicate or reordered webhooks, double clicks or racing admins changes it twice.
struct PaymentService: Sendable {
    let gateway: any PaymentGateway
    let expiry: BookingExpiry
    let events: any EventBus
    let clock: any AppClock
    let metrics: any AppMetrics

    /// Starts paying a PENDING booking; asking again returns the open payment (`created` false).
    func start(bookingID: UUID, method: PaymentMethod, for caller: AuthenticatedUser, on db: any Database)
        async throws -> (payment: Payment, checkout: [String: String], created: Bool) {
        try await expiry.expireOverdue(on: db) { $0.filter(\.$id == bookingID) }
        guard let booking = try await Booking.find(bookingID, on: db), booking.$user.id == caller.id else {
            throw APIError.notFound("Booking")
        }
        guard booking.status == .pending else {
            throw APIError.conflict("booking_not_payable", "Only a pending booking can be paid; this one is \(booking.status.rawValue).")
        }
        if let open = try await Payment.query(on: db).filter(\.$booking.$id == bookingID).filter(\.$status == .pending).first() {
            return (open, try await gateway.createPayment(id: open.requireID(), amountMinor: open.amountMinor,
                currency: open.currency, method: open.method).details, false)
        }
        let id = UUID()
        let checkout = try await gateway.createPayment(id: id, amountMinor: booking.totalMinor, currency: booking.currency,
            method: method)
        let now = clock.now()
        let payment = Payment()
        payment.id = id
        payment.$booking.id = bookingID
        payment.$user.id = caller.id
        payment.amountMinor = booking.totalMinor
        payment.currency = booking.currency
        payment.method = method
        payment.gateway = gateway.name
        payment.gatewayPaymentID = checkout.gatewayPaymentID
        payment.status = .pending
        payment.refundedMinor = 0
        payment.createdAt = now
        payment.updatedAt = now
        do {
            try await payment.create(on: db)
        } catch let error as any DatabaseError where error.isConstraintFailure {
            // Another request opened one first: return that one.
            guard let open = try await Payment.query(on: db).filter(\.$booking.$id == bookingID).filter(\.$status == .pending).first()
            else { throw APIError.conflict("payment_conflict", "Retry the request.") }
            return (open, checkout.details, false)
        }
        return (payment, checkout.details, true)
    }

    func visiblePayment(_ id: UUID, to caller: AuthenticatedUser, on db: any Database) async throws -> Payment {
        guard let payment = try await Payment.find(id, on: db), caller.isAdmin || payment.$user.id == caller.id else {
            throw APIError.notFound("Payment")
        }
        return payment
    }

    /// Deletes a payment that never completed (admin housekeeping).
    func delete(_ id: UUID, on db: any Database) async throws {
        guard let payment = try await Payment.find(id, on: db) else { throw APIError.notFound("Payment") }
        guard payment.status != .completed else {
            throw APIError.conflict("payment_completed", "A completed payment is part of the ledger and cannot be deleted.")
        }
        try await payment.delete(on: db)
    }

    // MARK: - Refunds

    /// Refunds `amount` (default: all that is left) of a completed payment. The ledger row and the running
    /// total are written together by a conditional update, so the sum of refunds never exceeds what was paid.
    /// A payment refunded in full cancels its booking and frees its seats.
    @discardableResult
    func refund(_ paymentID: UUID, amount: Int?, reason: String, actor: BookingActor, actorID: UUID?,
                on db: any Database) async throws -> Refund {
        guard let payment = try await Payment.find(paymentID, on: db) else { throw APIError.notFound("Payment") }
        guard payment.status == .completed else {
            throw APIError.conflict("payment_not_completed", "Only a completed payment can be refunded.")
        }
        let remaining = payment.amountMinor - payment.refundedMinor
        let amount = amount ?? remaining
        var checks = FieldChecks()
        checks.require(amount > 0, "amount_minor", "must be more than 0")
        checks.text(reason, "reason", max: 500)
        try checks.throwIfAny()
        guard amount <= remaining else {
            throw APIError.conflict("refund_exceeds_payment", "Only \(remaining) of \(payment.amountMinor) is left to refund.")
        }
        let refund = Refund()
        refund.$payment.id = paymentID
        refund.amountMinor = amount
        refund.reason = reason.trimmed
        refund.actor = actor
        refund.actorID = actorID
        refund.createdAt = clock.now()
        try await db.transaction { tx in
            guard let sql = tx as? any SQLDatabase else { throw APIError.internalError }
            let updated = try await sql.update(Payment.schema)
                .set(SQLIdentifier("refunded_minor"), to: SQLBinaryExpression(SQLIdentifier("refunded_minor"), .add, SQLBind(amount)))
                .set("updated_at", to: clock.now())
                .where("id", .equal, paymentID)
                .where(SQLBinaryExpression(SQLBinaryExpression(SQLIdentifier("refunded_minor"), .add, SQLBind(amount)),
                    .lessThanOrEqual, SQLIdentifier("amount_minor")))
                .returning("id").all()
            guard updated.count == 1 else {
                throw APIError.conflict("refund_exceeds_payment", "Another refund took what was left of this payment.")
            }
            try await refund.create(on: tx)
        }
        // The gateway is called after the ledger commits: never a network call inside a transaction.
        refund.gatewayRefundID = try await gateway.refund(gatewayPaymentID: payment.gatewayPaymentID, amountMinor: amount,
            refundID: try refund.requireID())
        try await refund.save(on: db)
        metrics.increment("refunds_total")
        if amount == remaining {
            _ = try await expiry.transition(payment.$booking.id, from: .confirmed, to: .cancelled, actor: actor, actorID: actorID,
                reason: "Refunded in full: \(reason)", on: db)
        }
        await events.publish(NotificationEvent(kind: .bookingRefunded, userID: payment.$user.id, bookingID: payment.$booking.id,
            message: "₹\(amount / 100).\(String(format: "%02d", amount % 100)) is on its way back to you."))
        return refund
    }
}
