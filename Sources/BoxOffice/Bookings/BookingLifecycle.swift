import Fluent
import Rules
import SQLKit
import Vapor

/// The one place a booking's status changes, with what goes with it: its seats, its food stock, its promo code's use,
/// its status log and its outbox events, each change in one transaction. Payments confirm, revive and (by refunding
/// in full) cancel through it; cancellations and the expiry job use it; nothing else writes a booking's status.
///
/// Reads never write: an overdue PENDING booking is shown as EXPIRED (`Booking.effectiveStatus`) until the
/// `booking-expiry` job, or a write that needs its seats, expires it here.
struct BookingLifecycle: Sendable {
    let clock: any AppClock
    /// Delivers the events of a change right after it commits; nil leaves them to the outbox job.
    var outbox: OutboxRelay?

    /// Expires the overdue bookings matching `filter` (all of them when nil); returns how many.
    @discardableResult
    func expireOverdue(on db: any Database, _ filter: ((QueryBuilder<Booking>) -> Void)? = nil) async throws -> Int {
        let now = clock.now()
        let query = Booking.query(on: db).filter(\.$status == .pending).filter(\.$paymentDueBy <= now)
        filter?(query)
        var expired = 0
        for id in try await query.all(\.$id) {
            if try await transition(
                id, from: .pending, to: .expired, actor: .system, actorID: nil,
                reason: "The payment window elapsed", on: db)
            {
                expired += 1
            }
        }
        if expired > 0, !db.inTransaction { await outbox?.kick(on: db) }
        return expired
    }

    /// A paid PENDING booking becomes CONFIRMED.
    @discardableResult
    func confirm(_ id: UUID, reason: String, on tx: any Database) async throws -> Bool {
        try await transition(id, from: .pending, to: .confirmed, actor: .payment, actorID: nil, reason: reason, on: tx)
    }

    /// A booking paid after its window expired it is re-seated if its show is still on sale and its seats and food
    /// are still there. Returns nil when it is CONFIRMED again, else why not (the caller refunds the payment).
    func revive(_ booking: Booking, on tx: any Database) async throws -> String? {
        let id = try booking.requireID()
        guard let show = try await Show.find(booking.$show.id, on: tx), show.status == .scheduled,
            clock.now() < show.startsAt
        else { return "Paid after the payment window; the show is cancelled or has started" }
        guard try await seatsStillFree(booking, on: tx) else {
            return "Paid after the payment window; the seats were taken"
        }
        guard try await BookingResources.retake(id, now: clock.now(), on: tx) else {
            return "Paid after the payment window; the food sold out"
        }
        try await BookingSeat.query(on: tx).filter(\.$booking.$id == id).set(\.$isActive, to: true).update()
        _ = try await transition(
            id, from: .expired, to: .confirmed, actor: .payment, actorID: nil,
            reason: "Paid after the payment window; the seats were still free", on: tx)
        return nil
    }

    /// A booking refunded in full is cancelled.
    func cancelRefunded(_ id: UUID, actor: BookingActor, actorID: UUID?, reason: String, on tx: any Database)
        async throws
    {
        _ = try await transition(
            id, from: .confirmed, to: .cancelled, actor: actor, actorID: actorID, reason: "Refunded in full: \(reason)",
            on: tx)
    }

    private func seatsStillFree(_ booking: Booking, on db: any Database) async throws -> Bool {
        let seatIDs = try await BookingSeat.query(on: db).filter(\.$booking.$id == booking.requireID()).all().map {
            $0.$seat.id
        }
        let taken = try await BookingSeat.query(on: db)
            .filter(\.$showID == booking.$show.id).filter(\.$isActive == true).filter(\.$seat.$id ~~ seatIDs).count()
        return taken == 0
    }

    /// Moves one booking between statuses if it is still in `from` (a conditional update, so two
    /// callers cannot both win), frees its seats and what else it took when the new status holds none, logs the
    /// change, and writes its events to the outbox, all in one transaction. `notice` replaces the customer event
    /// the new status would raise (a show's cancellation says so).
    func transition(
        _ id: UUID, from: BookingStatus, to: BookingStatus, actor: BookingActor, actorID: UUID?,
        reason: String, notice: NotificationEvent.Kind? = nil, on db: any Database
    ) async throws -> Bool {
        guard BookingStatus.canMove(from: from, to: to) else {
            throw BookingError.invalidTransition(from: from, to: to)
        }
        let now = clock.now()
        return try await db.writeTransaction { tx in
            let txSQL = try tx.sql()
            let moved = try await txSQL.update(Booking.schema)
                .set("status", to: to.rawValue).set("updated_at", to: now)
                .where("id", .equal, id).where("status", .equal, from.rawValue)
                .returning("id").all()
            guard moved.count == 1 else { return false }
            if !to.holdsSeats {
                try await BookingSeat.query(on: tx).filter(\.$booking.$id == id).set(\.$isActive, to: false).update()
            }
            if from.holdsSeats && !to.holdsSeats {
                try await BookingResources.release(id, on: tx)
            }
            try await tx.insert(
                BookingStatusLog(
                    bookingID: id, from: from, to: to, actor: actor, actorID: actorID, reason: reason, at: now))
            try await enqueueEvents(id, from: from, to: to, notice: notice, at: now, on: tx)
            return true
        }
    }

    private func enqueueEvents(
        _ id: UUID, from: BookingStatus, to: BookingStatus, notice: NotificationEvent.Kind?,
        at now: Date, on tx: any Database
    ) async throws {
        guard let booking = try await Booking.find(id, on: tx) else { return }
        let user = booking.$user.id, show = booking.$show.id
        let kind: NotificationEvent.Kind? =
            notice
            ?? {
                switch to {
                case .confirmed: return .bookingConfirmed
                case .cancelled: return .bookingCancelled
                case .expired: return .bookingExpired
                case .pending: return nil
                }
            }()
        if let kind {
            let message: String
            switch kind {
            case .bookingConfirmed: message = "Booking \(booking.reference) is confirmed."
            case .bookingExpired: message = "Booking \(booking.reference) expired unpaid; its seats are released."
            case .showCancelled: message = "The show of booking \(booking.reference) is cancelled."
            default: message = "Booking \(booking.reference) is cancelled."
            }
            try await Outbox.enqueue(
                NotificationEvent(kind: kind, userID: user, bookingID: id, showID: show, message: message),
                at: now, on: tx)
        }
        guard from.holdsSeats != to.holdsSeats else { return }
        let seats = try await BookingSeat.query(on: tx).filter(\.$booking.$id == id).all().map { $0.$seat.id }
        try await Outbox.enqueue(
            NotificationEvent(
                kind: to.holdsSeats ? .seatsBooked : .seatsFreed, userID: user,
                bookingID: id, showID: show, seatIDs: seats, message: "Seats of show \(show.uuidString) changed."),
            at: now, on: tx)
    }
}
