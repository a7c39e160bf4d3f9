import Fluent
import NIOConcurrencyHelpers
import RESP
import Vapor

/// The versions every cache of the app compares against. A change bumps its scope; an entry built under an
/// older version is not used again.
///
/// - `catalog`: anything an admin writes (movies, screens, layouts, shows, prices, tax, food, offers);
/// - `sessions`: logout, password change, disabling, role change: any change to who may do what;
/// - `seats(show)`: a booking of that show took or gave back seats.
///
/// With Redis, every bump is also published on one channel and every instance applies what it hears, so a change on
/// one instance reaches the caches of all of them at once. While this instance is not subscribed (before the first
/// subscription, or after the connection dropped) `version` answers nil and callers read the database: a cache is
/// never trusted when a change could have gone unheard. Without Redis there is one instance and the local versions
/// are the whole truth.
final class Freshness: Sendable {
    enum Scope: Hashable, Sendable {
        case catalog
        case sessions
        case seats(UUID)
    }

    private struct State {
        var next = 1
        var catalog = 0
        var sessions = 0
        /// Shows whose seats changed since the last flush; any other show is at `seatsFloor`.
        var seats: [UUID: Int] = [:]
        var seatsFloor = 0
        var listening = false

        /// A fresh number for a scope: every bump and every flush draws from one counter, so no two states share one.
        mutating func draw() -> Int {
            next += 1
            return next
        }

        mutating func bump(_ scope: Scope) {
            let value = draw()
            switch scope {
            case .catalog: catalog = value
            case .sessions: sessions = value
            case .seats(let show):
                seats[show] = value
                // Bounded: past this many changed shows, start over from a new floor (every show's version moves).
                if seats.count > 50_000 {
                    seats = [:]
                    seatsFloor = draw()
                }
            }
        }

        mutating func flush() {
            catalog = draw()
            sessions = draw()
            seats = [:]
            seatsFloor = draw()
        }
    }

    private let state = NIOLockedValueBox(State())
    private let redis: RedisClient?
    private let channel: String
    private let origin = UUID().uuidString
    private let logger: Logger
    private let listener: ChannelListener?

    init(redis: RedisClient?, channel: String = "bx:invalidate", logger: Logger = Logger(label: "boxoffice.freshness"))
    {
        self.redis = redis
        self.channel = channel
        self.logger = logger
        self.listener = redis.map { ChannelListener(redis: $0, channels: [channel], logger: logger) }
    }

    /// The current version of a scope, or nil when caches must not be trusted (Redis configured, not subscribed).
    func version(_ scope: Scope) -> Int? {
        state.withLockedValue { state in
            guard redis == nil || state.listening else { return nil }
            switch scope {
            case .catalog: return state.catalog
            case .sessions: return state.sessions
            case .seats(let show): return state.seats[show] ?? state.seatsFloor
            }
        }
    }

    /// Records a change here and tells the other instances. Call it after the change committed.
    func bump(_ scope: Scope) async {
        state.withLockedValue { $0.bump(scope) }
        await announce(Self.encode(scope))
    }

    /// Every cached version moves, here and on the other instances (they flush on a message they do not know):
    /// after a restore replaced all data.
    func bumpAll() async {
        state.withLockedValue { $0.flush() }
        await announce("all")
    }

    /// Tells the other instances what changed (`<origin> <scope>`).
    private func announce(_ scope: String) async {
        guard let redis else { return }
        do {
            _ = try await redis.publish("\(origin) \(scope)", to: channel)
        } catch {
            // The other instances' subscriptions see the same outage and stop trusting their caches.
            logger.warning("cache invalidation not published", metadata: ["error": "\(String(reflecting: error))"])
        }
    }

    // MARK: - Listening

    /// Subscribes to the channel and keeps the subscription up until `stop`. Returns once the first subscription is
    /// confirmed, or after the first failure. Without Redis it does nothing.
    func startListening() async {
        let origin = self.origin
        await listener?.start(
            .init(
                subscribed: { [weak self] in
                    // Whatever was published while nobody listened is unknown: start every cache over.
                    self?.state.withLockedValue {
                        $0.flush()
                        $0.listening = true
                    }
                },
                message: { [weak self] in self?.apply($0.message, origin: origin) },
                lost: { [weak self] in self?.state.withLockedValue { $0.listening = false } }))
    }

    func stop() async {
        await listener?.stop()
        state.withLockedValue { $0.listening = false }
    }

    private func apply(_ message: String, origin: String) {
        let parts = message.split(separator: " ", maxSplits: 1)
        guard parts.count == 2, parts[0] != origin else { return }
        guard let scope = Self.decode(parts[1]) else {
            state.withLockedValue { $0.flush() }
            return
        }
        state.withLockedValue { $0.bump(scope) }
    }

    static func encode(_ scope: Scope) -> String {
        switch scope {
        case .catalog: return "catalog"
        case .sessions: return "sessions"
        case .seats(let show): return "seats:\(show.uuidString)"
        }
    }

    static func decode(_ text: Substring) -> Scope? {
        switch text {
        case "catalog": return .catalog
        case "sessions": return .sessions
        default:
            guard text.hasPrefix("seats:"), let show = UUID(uuidString: String(text.dropFirst(6))) else { return nil }
            return .seats(show)
        }
    }
}

/// Starts and stops the invalidation subscription with the app.
struct FreshnessLifecycle: LifecycleHandler {
    let freshness: Freshness

    func didBootAsync(_ application: Application) async throws {
        await freshness.startListening()
    }

    func shutdownAsync(_ application: Application) async {
        await freshness.stop()
    }
}

/// Passes every event on, and first marks the seats of its show as changed: events are delivered after their
/// transaction committed, so a seat map built after this sees the change.
struct SeatChangeEventBus: EventBus {
    let next: any EventBus
    let freshness: Freshness

    func publish(_ event: NotificationEvent) async {
        await markSeats(event)
        await next.publish(event)
    }

    func deliver(_ event: NotificationEvent, on db: any Database) async throws {
        await markSeats(event)
        try await next.deliver(event, on: db)
    }

    private func markSeats(_ event: NotificationEvent) async {
        if let show = event.showID, event.changesSeats {
            await freshness.bump(.seats(show))
        }
    }
}

extension NotificationEvent {
    /// Whether the seat map of its show may read differently after it.
    var changesSeats: Bool {
        switch kind {
        case .seatsBooked, .seatsFreed, .showCancelled, .bookingCancelled, .bookingExpired, .bookingConfirmed:
            return true
        case .bookingRefunded, .feedbackReplied, .bookingExchanged:
            return false
        }
    }
}
