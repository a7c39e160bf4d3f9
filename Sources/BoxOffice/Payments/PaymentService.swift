import Fluent
import Rules
import SQLKit
import Vapor

/// Payments and refunds. Money moves only through conditional updates and ledger rows, so no sequence of
/// duplicate or reordered webhooks, double clicks or racing admins changes it twice.
struct PaymentService: Sendable {
    let gateway: any PaymentGateway
    let bookings: BookingLifecycle
    let outbox: OutboxRelay
    let clock: any AppClock
    let metrics: any AppMetrics
    /// Drops a seat hold from the hold store (an exchange's, once its difference was paid and the seats swapped).
    var releaseHold: (@Sendable (UUID) async -> Void)?

    /// Starts paying a PENDING booking; asking again returns the open payment (`created` false).
    func start(bookingID: UUID, method: PaymentMethod, for caller: AuthenticatedUser, on db: any Database)
        async throws -> (payment: Payment, checkout: [String: String], created: Bool)
    {
        try await bookings.expireOverdue(on: db) { $0.filter(\.$id == bookingID) }
        guard let booking = try await Booking.find(bookingID, on: db), booking.$user.id == caller.id else {
            throw APIError.notFound("Booking")
        }
        // A confirmed booking is payable only for the difference of its exchange awaiting payment.
        var amount = booking.totalMinor
        var exchangeID: UUID?
        if booking.status == .confirmed,
            let exchange = try await BookingExchange.query(on: db).filter(\.$booking.$id == bookingID)
                .filter(\.$status == .awaitingPayment).filter(\.$dueBy > clock.now()).first()
        {
            amount = exchange.differenceMinor
            exchangeID = try exchange.requireID()
        } else if booking.status != .pending {
            throw PaymentError.bookingNotPayable(booking.status)
        }
        let customer = gateway.usesPayerDetails ? try await User.find(caller.id, on: db) : nil
        let purpose = PaymentPurpose(
            bookingID: bookingID, bookingReference: booking.reference, email: customer?.email, phone: customer?.phone)
        if let open = try await Payment.query(on: db).filter(\.$booking.$id == bookingID).filter(\.$status == .pending)
            .first()
        {
            if open.exchangeID == exchangeID && open.amountMinor == amount {
                return (open, try await gateway.reopen(open, for: purpose), false)
            }
            // The open payment was for what the booking no longer asks (an exchange replaced or lapsed): it is closed
            // as failed, and a success reported for it later is refunded.
            try await Payment.query(on: db).filter(\.$id == open.requireID()).filter(\.$status == .pending)
                .set(\.$status, to: .failed).set(\.$failureReason, to: "Replaced: the amount to pay changed")
                .set(\.$updatedAt, to: clock.now()).update()
        }
        let id = UUID()
        let checkout: GatewayCheckout
        do {
            checkout = try await gateway.createPayment(
                id: id, amountMinor: amount, currency: booking.currency, method: method, for: purpose)
        } catch let error as GatewayError {
            // Nothing is written: the customer asks again later.
            throw APIError.serviceUnavailable("The payment gateway is unavailable; try again shortly. (\(error))")
        } catch let error as RazorpayError {
            throw APIError(.badGateway, code: .gatewayRefused, detail: "\(error)")
        }
        let now = clock.now()
        let payment = Payment()
        payment.id = id
        payment.$booking.id = bookingID
        payment.$user.id = caller.id
        payment.amountMinor = amount
        payment.exchangeID = exchangeID
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
        } catch let error where ConstraintViolation(error)?.violates(.paymentsOpen) == true {
            // Another request opened one first: return that one.
            guard
                let open = try await Payment.query(on: db).filter(\.$booking.$id == bookingID).filter(
                    \.$status == .pending
                ).first()
            else { throw PaymentError.openPaymentRace }
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
            throw PaymentError.paymentCompleted
        }
        try await payment.delete(on: db)
    }

    // MARK: - Refunds

    /// Refunds `amount` (default: all that is left) of a completed payment: the intent is recorded in one
    /// transaction, then sent to the gateway once; if the gateway fails, the refund job retries it.
    @discardableResult
    func refund(
        _ paymentID: UUID, amount: Int?, reason: String, actor: BookingActor, actorID: UUID?,
        on db: any Database
    ) async throws -> Refund {
        let refund = try await db.writeTransaction { tx in
            try await recordRefund(paymentID, amount: amount, reason: reason, actor: actor, actorID: actorID, on: tx)
        }
        await outbox.kick(on: db)
        await refundRecorded(refund, on: db)
        return refund
    }

    /// Writes a PENDING refund and grows the payment's running total by a conditional update, so the sum of
    /// refunds never exceeds what was paid. Call it inside the transaction of the change that causes the refund;
    /// call `refundRecorded` after that commits. A refund of everything left cancels a confirmed booking.
    func recordRefund(
        _ paymentID: UUID, amount: Int?, reason: String, actor: BookingActor, actorID: UUID?,
        on tx: any Database
    ) async throws -> Refund {
        guard let payment = try await Payment.find(paymentID, on: tx) else { throw APIError.notFound("Payment") }
        guard payment.status == .completed else {
            throw PaymentError.paymentNotCompleted
        }
        let remaining = payment.amountMinor - payment.refundedMinor
        let amount = amount ?? remaining
        var checks = FieldChecks()
        checks.require(amount > 0, "amount_minor", "must be more than 0")
        checks.text(reason, "reason", max: 500)
        try checks.throwIfAny()
        guard amount <= remaining else {
            throw PaymentError.refundExceedsPayment(left: remaining, paid: payment.amountMinor)
        }
        let sql = try tx.sql()
        let now = clock.now()
        let updated = try await sql.update(Payment.schema)
            .set(
                SQLIdentifier("refunded_minor"),
                to: SQLBinaryExpression(SQLIdentifier("refunded_minor"), .add, SQLBind(amount))
            )
            .set("updated_at", to: now)
            .where("id", .equal, paymentID)
            .where(
                SQLBinaryExpression(
                    SQLBinaryExpression(SQLIdentifier("refunded_minor"), .add, SQLBind(amount)),
                    .lessThanOrEqual, SQLIdentifier("amount_minor"))
            )
            .returning("id").all()
        guard updated.count == 1 else {
            throw PaymentError.refundRaced
        }
        let refund = Refund()
        refund.$payment.id = paymentID
        refund.amountMinor = amount
        refund.reason = reason.trimmed
        refund.actor = actor
        refund.actorID = actorID
        refund.status = .pending
        refund.attempts = 0
        refund.nextAttemptAt = now
        refund.createdAt = now
        try await refund.create(on: tx)
        try await Outbox.enqueue(
            NotificationEvent(
                kind: .bookingRefunded, userID: payment.$user.id,
                bookingID: payment.$booking.id,
                message: Self.refundMessage(amount, reason: actor == .payment ? reason.trimmed : nil)),
            at: now, on: tx)
        // Nothing left of any of the booking's payments (an exchange may have added one): it is cancelled. A late
        // exchange difference refunded in full leaves the booking as it was, paid by its first payment.
        if amount == remaining {
            let left = try await Payment.query(on: tx).filter(\.$booking.$id == payment.$booking.id)
                .filter(\.$status == .completed).all().reduce(0) { $0 + $1.amountMinor - $1.refundedMinor }
            if left == 0 {
                try await bookings.cancelRefunded(
                    payment.$booking.id, actor: actor, actorID: actorID, reason: reason, on: tx)
            }
        }
        return refund
    }

    /// What the customer is told; a refund the payment itself caused (a late payment) says why.
    static func refundMessage(_ amount: Int, reason: String?) -> String {
        let money = "\(rupees(amount)) is on its way back to you"
        guard let reason, !reason.isEmpty else { return money + "." }
        return "\(money): \(reason)."
    }

    /// After the refund's transaction committed: try the gateway once (the caller delivers the events).
    func refundRecorded(_ refund: Refund, on db: any Database) async {
        guard let id = refund.id else { return }
        _ = await deliverRefund(id, on: db)
    }

    /// How long a refund waits after its n-th failed attempt: 5 s, 10 s, 20 s, … at most an hour.
    static func refundBackoff(afterAttempts attempts: Int) -> TimeInterval {
        min(3600, 5 * pow(2, Double(min(max(attempts - 1, 0), 12))))
    }

    /// Sends one due PENDING refund to the gateway. The refund is claimed first (its next attempt moved past a
    /// lease), so two instances never send it at once; the gateway is idempotent on our refund id besides.
    /// Returns whether the refund is now COMPLETED.
    @discardableResult
    func deliverRefund(_ refundID: UUID, on db: any Database) async -> Bool {
        let now = clock.now()
        do {
            let sql = try db.sql()
            let claimed = try await sql.update(Refund.schema)
                .set("next_attempt_at", to: now.addingTimeInterval(Self.refundLease))
                .where("id", .equal, refundID).where("status", .equal, RefundStatus.pending.rawValue)
                .where("next_attempt_at", .lessThanOrEqual, now)
                .returning("id").all()
            guard claimed.count == 1, let refund = try await Refund.find(refundID, on: db),
                let payment = try await Payment.find(refund.$payment.id, on: db)
            else { return false }
            do {
                let answer = try await gateway.refund(
                    gatewayPaymentID: payment.gatewayPaymentID,
                    amountMinor: refund.amountMinor, refundID: refundID)
                refund.gatewayRefundID = answer.id
                refund.lastError = nil
                refund.attempts += 1
                if answer.processed {
                    refund.status = .completed
                    refund.completedAt = clock.now()
                    refund.nextAttemptAt = nil
                } else {
                    // Accepted, not yet processed: its webhook says how it ends; until then it is asked about again
                    // (idempotent on our refund id), which also heals a lost webhook.
                    refund.nextAttemptAt = clock.now().addingTimeInterval(
                        Self.refundBackoff(afterAttempts: refund.attempts))
                }
                try await refund.save(on: db)
                if answer.processed { metrics.increment("refunds_total") }
                return answer.processed
            } catch {
                refund.attempts += 1
                refund.lastError = String(String(describing: error).prefix(500))
                refund.nextAttemptAt = clock.now().addingTimeInterval(
                    Self.refundBackoff(afterAttempts: refund.attempts))
                try await refund.save(on: db)
                metrics.increment("refund_attempts_failed_total")
                return false
            }
        } catch {
            return false  // the database is unavailable: the claim lapses and the job tries again
        }
    }

    /// Sends every due PENDING refund (at most `limit` per call); returns how many completed.
    @discardableResult
    func deliverDueRefunds(on db: any Database, limit: Int = 50) async throws -> Int {
        let due = try await Refund.query(on: db).filter(\.$status == .pending).filter(\.$nextAttemptAt <= clock.now())
            .sort(\.$nextAttemptAt).limit(limit).all(\.$id)
        var completed = 0
        for id in due where await deliverRefund(id, on: db) { completed += 1 }
        return completed
    }

    /// How long a claimed refund is left to the instance that claimed it.
    static let refundLease: TimeInterval = 60
}
