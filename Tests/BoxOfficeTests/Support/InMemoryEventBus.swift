import NIOConcurrencyHelpers

@testable import BoxOffice

/// What tests read of the delivered events (`AppServices.events`). Keeps the most recent `capacity` only, so a long
/// test does not grow without bound; a repeat of an event already kept (same id) is dropped.
final class InMemoryEventBus: EventBus {
    let capacity: Int
    private let events = NIOLockedValueBox<[NotificationEvent]>([])

    init(capacity: Int = 1000) {
        self.capacity = max(1, capacity)
    }

    func publish(_ event: NotificationEvent) async {
        events.withLockedValue { events in
            guard !events.contains(where: { $0.id == event.id }) else { return }
            events.append(event)
            if events.count > capacity { events.removeFirst(events.count - capacity) }
        }
    }

    var published: [NotificationEvent] { events.withLockedValue { $0 } }
}
