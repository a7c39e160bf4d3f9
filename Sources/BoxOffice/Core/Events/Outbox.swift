import Fluent
import SQLKit
import Vapor

/// Side effects after commit: events are written with the change (`enqueue`, inside its transaction) and handed
/// to the event bus by `OutboxRelay` afterwards: right after the request's commit and by a periodic job for
/// anything left. Delivery is at least once; consumers drop repeats by event id.
enum Outbox {
    static func enqueue(_ event: NotificationEvent, at now: Date, on tx: any Database) async throws {
        let message = OutboxMessage()
        message.id = event.id
        message.kind = event.kind.rawValue
        message.payload = String(decoding: try JSONEncoder().encode(event), as: UTF8.self)
        message.createdAt = now
        message.availableAt = now
        message.attempts = 0
        try await message.create(on: tx)
    }
}

struct OutboxRelay: Sendable {
    let bus: any EventBus
    let clock: any AppClock
    /// How long a claimed message is left to the relay that claimed it before another may deliver it.
    static let lease: TimeInterval = 30

    /// Delivers due messages in the order they were written (at most `limit`); returns how many.
    @discardableResult
    func deliverDue(on db: any Database, limit: Int = 100) async throws -> Int {
        let now = clock.now()
        let due = try await OutboxMessage.query(on: db).filter(\.$deliveredAt == nil).filter(\.$availableAt <= now)
            .sort(\.$createdAt).limit(limit).all()
        guard !due.isEmpty else { return 0 }
        let sql = try db.sql()
        var delivered = 0
        for message in due {
            let id = try message.requireID()
            let claimed = try await sql.update(OutboxMessage.schema)
                .set("available_at", to: now.addingTimeInterval(Self.lease))
                .set(
                    SQLIdentifier("attempts"),
                    to: SQLBinaryExpression(SQLIdentifier("attempts"), .add, SQLLiteral.numeric("1"))
                )
                .where("id", .equal, id).where("delivered_at", .is, SQLLiteral.null).where(
                    "available_at", .lessThanOrEqual, now
                )
                .returning("id").all()
            guard claimed.count == 1 else { continue }  // another relay has it
            // A payload that no longer decodes (only a bug writes one) is marked delivered unpublished, not retried forever.
            if let event = try? JSONDecoder().decode(NotificationEvent.self, from: Data(message.payload.utf8)) {
                await bus.publish(event)
            }
            try await sql.update(OutboxMessage.schema).set("delivered_at", to: clock.now()).where("id", .equal, id)
                .run()
            delivered += 1
        }
        return delivered
    }

    /// Delivery right after a commit, so events do not wait for the job; a failure is left to the job.
    func kick(on db: any Database) async {
        _ = try? await deliverDue(on: db)
    }

    /// Forgets delivered messages older than a day.
    func purge(on db: any Database) async throws {
        try await OutboxMessage.query(on: db).filter(\.$deliveredAt < clock.now().addingTimeInterval(-86_400)).delete()
    }
}
