import Fluent
import Rules
import SQLKit
import Vapor

/// Expires PENDING bookings whose payment window has passed and frees their seats. Runs in the
/// background and before bookings or seat maps are read, so nobody sees a stale pending booking.
struct BookingExpiry: Sendable {
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
            try await BookingStatusLog(
                bookingID: id, from: from, to: to, actor: actor, actorID: actorID, reason: reason,
                at: now
            ).create(on: tx)
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
