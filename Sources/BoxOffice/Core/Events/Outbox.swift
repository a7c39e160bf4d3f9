import Fluent
import NIOConcurrencyHelpers
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
        try await tx.insert(message)
    }
}

struct OutboxRelay: Sendable {
    let bus: any EventBus
    let clock: any AppClock
    /// How long a claimed message is left to the relay that claimed it before another may deliver it.
    static let lease: TimeInterval = 30
    private let passes = DeliveryPasses()

    init(bus: any EventBus, clock: any AppClock) {
        self.bus = bus
        self.clock = clock
    }

    /// Delivers due messages in the order they were written (at most `limit`); returns how many. The batch is
    /// claimed with one conditional update (another relay's claim wins: a message it holds is not in our batch)
    /// and marked delivered with another.
    @discardableResult
    func deliverDue(on db: any Database, limit: Int = 100) async throws -> Int {
        let now = clock.now()
        let due = try await OutboxMessage.query(on: db).filter(\.$deliveredAt == nil).filter(\.$availableAt <= now)
            .sort(\.$createdAt).limit(limit).all()
        guard !due.isEmpty else { return 0 }
        let sql = try db.sql()
        let claimed = Set(
            try await sql.update(OutboxMessage.schema)
                .set("available_at", to: now.addingTimeInterval(Self.lease))
                .set(
                    SQLIdentifier("attempts"),
                    to: SQLBinaryExpression(SQLIdentifier("attempts"), .add, SQLLiteral.numeric("1"))
                )
                .where("id", .in, try due.map { try $0.requireID() })
                .where("delivered_at", .is, SQLLiteral.null)
                .where("available_at", .lessThanOrEqual, now)
                .returning("id").all(decoding: IDRow.self).map(\.id))
        guard !claimed.isEmpty else { return 0 }
        var delivered: [UUID] = []
        for message in due where claimed.contains(try message.requireID()) {
            // A payload that no longer decodes (only a bug writes one) is marked delivered unpublished, not retried
            // forever. A consumer that fails leaves its message to the next claim, after the lease.
            if let event = try? JSONDecoder().decode(NotificationEvent.self, from: Data(message.payload.utf8)) {
                do {
                    try await bus.deliver(event, on: db)
                } catch {
                    continue
                }
            }
            delivered.append(try message.requireID())
        }
        guard !delivered.isEmpty else { return 0 }
        try await sql.update(OutboxMessage.schema).set("delivered_at", to: clock.now())
            .where("id", .in, delivered).run()
        return delivered.count
    }

    private struct IDRow: Decodable {
        var id: UUID
    }

    /// Delivery right after a commit, so events do not wait for the job; a failure is left to the job. Returns once
    /// a delivery pass that started after the call has finished. Concurrent kicks share passes: one runs at a time
    /// and takes everything due, so a rush does not make every request claim every other request's messages.
    /// When `DeliveryPasses.maxWaiting` requests already wait for the next pass (a rush: each pass then delivers
    /// hundreds of other requests' events, and each answer would wait for up to two of them), the call asks for that
    /// pass and returns at once; its event follows within the running passes, not before the answer.
    func kick(on db: any Database) async {
        await passes.request { [self] in _ = try? await deliverDue(on: db) }
    }

    /// Forgets delivered messages older than a day.
    func purge(on db: any Database) async throws {
        try await OutboxMessage.query(on: db).filter(\.$deliveredAt < clock.now().addingTimeInterval(-86_400)).delete()
    }
}

/// One delivery pass at a time; callers that arrive during a pass wait for the next one (their messages may have
/// committed after the running pass looked), and all of them share it. Past `maxWaiting` waiters for the next
/// pass, a caller only makes sure that pass runs and does not wait for it.
final class DeliveryPasses: Sendable {
    /// How many callers may wait for the next pass: a few concurrent requests are each answered after their events
    /// are delivered; under a rush the rest are answered at once.
    static let maxWaiting = 16

    private struct State {
        var running = false
        var current: [CheckedContinuation<Void, Never>] = []
        var next: [CheckedContinuation<Void, Never>] = []
    }

    private let state = NIOLockedValueBox(State())

    func request(_ pass: @escaping @Sendable () async -> Void) async {
        await withCheckedContinuation { (waiter: CheckedContinuation<Void, Never>) in
            enum Turn { case starts, waits, goes }
            let turn = state.withLockedValue { state -> Turn in
                if state.running {
                    // The next pass is already asked for (by those waiting), and runs after this one.
                    guard state.next.count < Self.maxWaiting else { return .goes }
                    state.next.append(waiter)
                    return .waits
                }
                state.running = true
                state.current.append(waiter)
                return .starts
            }
            if turn == .goes { waiter.resume() }
            guard turn == .starts else { return }
            Task {
                while true {
                    await pass()
                    let (finished, more) = state.withLockedValue { state in
                        let finished = state.current
                        state.current = state.next
                        state.next = []
                        state.running = !state.current.isEmpty
                        return (finished, state.running)
                    }
                    finished.forEach { $0.resume() }
                    if !more { return }
                }
            }
        }
    }
}
