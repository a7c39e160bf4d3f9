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

final class InMemoryEventBus: EventBus {
    private let events = NIOLockedValueBox<[NotificationEvent]>([])

    func publish(_ event: NotificationEvent) async {
        events.withLockedValue { $0.append(event) }
    }

    var published: [NotificationEvent] { events.withLockedValue { $0 } }
}
