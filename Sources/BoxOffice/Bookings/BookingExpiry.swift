import Fluent
import SQLKit
import Vapor

/// Expires PENDING bookings whose payment window has passed and frees their seats. Runs in the
/// background and before bookings or seat maps are read, so nobody sees a stale pending booking.
struct BookingExpiry: Sendable {
    let clock: any AppClock

    /// Expires the overdue bookings matching `filter` (all of them when nil); returns how many.
    @discardableResult
    func expireOverdue(on db: any Database, _ filter: ((QueryBuilder<Booking>) -> Void)? = nil) async throws -> Int {
        let now = clock.now()
        let query = Booking.query(on: db).filter(\.$status == .pending).filter(\.$paymentDueBy <= now)
        filter?(query)
        var expired = 0
        for id in try await query.all(\.$id) {
            if try await transition(id, from: .pending, to: .expired, actor: .system, actorID: nil,
                reason: "The payment window elapsed", on: db) {
                expired += 1
            }
        }
        return expired
    }

    /// Moves one booking between statuses if it is still in `from` (a conditional update, so two
    /// callers cannot both win), frees its seats when the new status holds none, and logs the change.
    func transition(_ id: UUID, from: BookingStatus, to: BookingStatus, actor: BookingActor, actorID: UUID?,
                    reason: String, on db: any Database) async throws -> Bool {
        let now = clock.now()
        return try await db.transaction { tx in
            guard let txSQL = tx as? any SQLDatabase else { throw APIError.internalError }
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
            try await BookingStatusLog(bookingID: id, from: from, to: to, actor: actor, actorID: actorID, reason: reason,
                at: now).create(on: tx)
            return true
        }
    }
}

/// Expires overdue bookings every 30 seconds while the server runs, and forgets idempotency keys past their lifetime.
final class BookingExpiryJob: LifecycleHandler, @unchecked Sendable {
    private let expiry: BookingExpiry
    private let idempotency: Idempotency
    private var task: Task<Void, Never>?

    init(expiry: BookingExpiry, idempotency: Idempotency) {
        self.expiry = expiry
        self.idempotency = idempotency
    }

    func didBootAsync(_ application: Application) async throws {
        let expiry = self.expiry
        let idempotency = self.idempotency
        let db = application.db
        let logger = application.logger
        task = Task {
            while !Task.isCancelled {
                try? await Task.sleep(for: .seconds(30))
                if Task.isCancelled { break }  // shutting down: the database may already be gone
                do {
                    let count = try await expiry.expireOverdue(on: db)
                    if count > 0 { logger.info("expired pending bookings", metadata: ["count": "\(count)"]) }
                    try await idempotency.purge(on: db)
                } catch {
                    logger.warning("booking expiry failed", metadata: ["error": "\(error)"])
                }
            }
        }
    }

    func shutdownAsync(_ application: Application) async {
        task?.cancel()
    }
}
