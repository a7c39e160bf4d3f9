import Foundation
import NIOConcurrencyHelpers

/// Something a customer should hear about. The notifications work stores these and pushes them over
/// WebSockets; until then they are recorded in memory (and tests read them).
struct NotificationEvent: Sendable, Equatable {
    enum Kind: String, Sendable {
        case bookingConfirmed = "booking_confirmed"
        case bookingCancelled = "booking_cancelled"
        case bookingRefunded = "booking_refunded"
        case showCancelled = "show_cancelled"
    }

    var kind: Kind
    var userID: UUID
    var bookingID: UUID?
    var message: String
}

protocol EventBus: Sendable {
    func publish(_ event: NotificationEvent) async
}

/// Keeps the most recent `capacity` events only, so a long-running server does not grow without bound
/// until notifications are stored.
final class InMemoryEventBus: EventBus {
    let capacity: Int
    private let events = NIOLockedValueBox<[NotificationEvent]>([])

    init(capacity: Int = 1000) {
        self.capacity = max(1, capacity)
    }

    func publish(_ event: NotificationEvent) async {
        events.withLockedValue { events in
            events.append(event)
            if events.count > capacity { events.removeFirst(events.count - capacity) }
        }
    }

    var published: [NotificationEvent] { events.withLockedValue { $0 } }
}
