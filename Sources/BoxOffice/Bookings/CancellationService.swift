import Fluent
import Rules
import Vapor

/// Cancelling bookings: by the customer (refund by policy) and all of a show's at once (full refunds).
struct CancellationService: Sendable {
    let payments: PaymentService
    let policy: [AppConfig.RefundTier]

    var lifecycle: BookingLifecycle { payments.bookings }
    var clock: any AppClock { payments.clock }

    /// Cancels the caller's booking. A pending one has nothing to refund; a confirmed one is refunded by policy
    /// before the show starts. Calling it again returns the same booking and refunds nothing more.
    func cancel(_ bookingID: UUID, by caller: AuthenticatedUser, on db: any Database) async throws -> Booking {
        try await lifecycle.expireOverdue(on: db) { $0.filter(\.$id == bookingID) }
        guard let booking = try await Booking.find(bookingID, on: db), caller.isAdmin || booking.$user.id == caller.id
        else {
            throw APIError.notFound("Booking")
        }
        let actor: BookingActor = caller.isAdmin && booking.$user.id != caller.id ? .admin : .user
        switch booking.status {
        case .cancelled:
            return booking
        case .expired:
            throw PaymentError.bookingExpired
        case .pending:
            _ = try await lifecycle.transition(
                bookingID, from: .pending, to: .cancelled, actor: actor, actorID: caller.id,
                reason: "Cancelled before payment", on: db)
        case .confirmed:
            guard let show = try await Show.find(booking.$show.id, on: db) else { throw APIError.notFound("Show") }
            let percent = try refundPercent(before: show.startsAt)
            // The cancel and its refund intent commit together: a gateway failure later cannot lose the refund.
            let refunds = try await db.writeTransaction { tx -> [Refund] in
                guard
                    try await lifecycle.transition(
                        bookingID, from: .confirmed, to: .cancelled, actor: actor,
                        actorID: caller.id,
                        reason: "Cancelled \(hoursBefore(show.startsAt)) h before the show; \(percent) % refund",
                        on: tx)
                else { return [] }  // someone else cancelled it first: they refunded it
                return try await recordRefunds(
                    of: booking, percent: percent,
                    reason: "Customer cancellation, \(percent) % refund", actor: actor, actorID: caller.id, on: tx)
            }
            for refund in refunds { await payments.refundRecorded(refund, on: db) }
        }
        await payments.outbox.kick(on: db)
        return try await Booking.find(bookingID, on: db) ?? booking
    }

    /// What cancelling the caller's booking would do now, without doing it: whether it can be cancelled, the refund
    /// the policy gives and until when that refund holds (the next tier starts then, or cancelling ends). Reads only;
    /// another user's booking is a 404. The refund is figured as `cancel` figures it, from the completed payment.
    func quote(_ bookingID: UUID, for caller: AuthenticatedUser, on db: any Database) async throws
        -> CancellationQuote
    {
        guard let booking = try await Booking.find(bookingID, on: db), caller.isAdmin || booking.$user.id == caller.id
        else {
            throw APIError.notFound("Booking")
        }
        guard let show = try await Show.find(booking.$show.id, on: db) else { throw APIError.notFound("Show") }
        let now = clock.now()
        var quote = CancellationQuote(
            bookingId: bookingID, status: booking.effectiveStatus(at: now), cancellable: false, refundPercent: nil,
            paidMinor: 0, refundMinor: 0, currency: booking.currency, startsAt: show.startsAt, validUntil: nil,
            message: "")
        switch quote.status {
        case .cancelled:
            quote.message = "This booking is already cancelled."
        case .expired:
            quote.message = PaymentError.bookingExpired.detail
        case .pending:
            quote.cancellable = true
            quote.message = "Nothing has been paid, so there is nothing to refund."
        case .confirmed:
            guard let tier = rules.tier(secondsBefore: show.startsAt.timeIntervalSince(now)) else {
                quote.message = PaymentError.tooLateToCancel.detail
                return quote
            }
            let paid = try await Payment.query(on: db).filter(\.$booking.$id == bookingID)
                .filter(\.$status == .completed).all()
            quote.cancellable = true
            quote.refundPercent = tier.percent
            quote.paidMinor = paid.reduce(0) { $0 + $1.amountMinor - $1.refundedMinor }
            quote.refundMinor = paid.reduce(0) {
                $0
                    + RefundPolicy.amount(
                        paid: $1.amountMinor - $1.refundedMinor, alreadyRefunded: 0, percent: tier.percent)
            }
            quote.validUntil = show.startsAt.addingTimeInterval(-TimeInterval(tier.hoursBefore) * 3600)
            quote.message = "\(tier.percent) % of what you paid is refunded."
        }
        return quote
    }

    /// Cancels every pending and confirmed booking of a show, refunding confirmed ones in full.
    /// Only bookings still active are touched, so a second call changes nothing.
    func cancelAll(ofShow showID: UUID, reason: String, by adminID: UUID?, on db: any Database) async throws {
        let active = try await Booking.query(on: db).filter(\.$show.$id == showID)
            .filter(\.$status ~~ [BookingStatus.pending, .confirmed]).all()
        for booking in active {
            let id = try booking.requireID()
            let outcome = try await db.writeTransaction { tx -> (moved: Bool, refunds: [Refund]) in
                guard
                    try await lifecycle.transition(
                        id, from: booking.status, to: .cancelled, actor: .admin, actorID: adminID,
                        reason: "Show cancelled: \(reason)", notice: .showCancelled, on: tx)
                else { return (false, []) }
                guard booking.status == .confirmed else { return (true, []) }
                return (
                    true,
                    try await recordRefunds(
                        of: booking, percent: 100, reason: "Show cancelled: \(reason)",
                        actor: .admin, actorID: adminID, on: tx)
                )
            }
            guard outcome.moved else { continue }
            await payments.outbox.kick(on: db)
            for refund in outcome.refunds { await payments.refundRecorded(refund, on: db) }
        }
    }

    /// The refund intents for `percent` of each of the booking's completed payments (the first, and an exchange's
    /// difference if it had one), inside the cancel's transaction.
    private func recordRefunds(
        of booking: Booking, percent: Int, reason: String, actor: BookingActor,
        actorID: UUID?, on tx: any Database
    ) async throws -> [Refund] {
        guard percent > 0 else { return [] }
        var refunds: [Refund] = []
        for payment in try await Payment.query(on: tx).filter(\.$booking.$id == booking.requireID())
            .filter(\.$status == .completed).sort(\.$createdAt).all()
        {
            // Of what is left of the payment (a cheaper exchange refunded part of it), half-up to the paisa: 80 % of
            // 12345 is 9876.
            let amount = RefundPolicy.amount(
                paid: payment.amountMinor - payment.refundedMinor, alreadyRefunded: 0, percent: percent)
            guard amount > 0 else { continue }
            refunds.append(
                try await payments.recordRefund(
                    payment.requireID(), amount: amount, reason: reason, actor: actor, actorID: actorID, on: tx))
        }
        return refunds
    }

    private func hoursBefore(_ start: Date) -> Int {
        Int(start.timeIntervalSince(clock.now()) / 3600)
    }

    private var rules: RefundPolicy {
        RefundPolicy(tiers: policy.map { .init(hoursBefore: $0.hoursBefore, percent: $0.percent) })
    }

    private func refundPercent(before start: Date) throws -> Int {
        guard let percent = rules.percent(secondsBefore: start.timeIntervalSince(clock.now())) else {
            throw PaymentError.tooLateToCancel
        }
        return percent
    }
}
