import FluentKit
import Foundation

/// Something that happened which customers or live seat maps should hear about. Written to the outbox in the
/// transaction of the change, delivered to the event bus after commit (at least once: `id` lets consumers drop
/// a repeat). The notifications work stores the customer-facing ones and pushes them over WebSockets.
struct NotificationEvent: Codable, Sendable, Equatable {
    enum Kind: String, Codable, Sendable {
        case bookingConfirmed = "booking_confirmed"
        case bookingCancelled = "booking_cancelled"
        case bookingExpired = "booking_expired"
        case bookingRefunded = "booking_refunded"
        case showCancelled = "show_cancelled"
        case feedbackReplied = "feedback_replied"
        /// A booking moved to another show or other seats.
        case bookingExchanged = "booking_exchanged"
        /// Seat-map events: a booking took or gave back seats of a show.
        case seatsBooked = "seats_booked"
        case seatsFreed = "seats_freed"
    }

    var id = UUID()
    var kind: Kind
    var userID: UUID
    var bookingID: UUID?
    var showID: UUID?
    var seatIDs: [UUID]?
    /// The feedback an admin replied to (`feedback_replied` only).
    var feedbackID: UUID?
    var message: String

    init(
        kind: Kind, userID: UUID, bookingID: UUID?, showID: UUID? = nil, seatIDs: [UUID]? = nil,
        feedbackID: UUID? = nil, message: String
    ) {
        self.kind = kind
        self.userID = userID
        self.bookingID = bookingID
        self.showID = showID
        self.seatIDs = seatIDs
        self.feedbackID = feedbackID
        self.message = message
    }

    /// Whether customers are told about it (seat events are for seat maps only).
    var isCustomerFacing: Bool { kind != .seatsBooked && kind != .seatsFreed }
}

protocol EventBus: Sendable {
    func publish(_ event: NotificationEvent) async
    /// Delivery from the outbox, with its database. A throw leaves the message to be delivered again later.
    func deliver(_ event: NotificationEvent, on db: any Database) async throws
}

extension EventBus {
    func deliver(_ event: NotificationEvent, on db: any Database) async throws {
        await publish(event)
    }
}

/// The end of production's delivery chain: `NotificationRecorder` has already stored and pushed the event, and
/// nothing else listens. Tests pass an in-memory bus in `AppServices.events` to read what was delivered.
struct NoEventBus: EventBus {
    func publish(_ event: NotificationEvent) async {}
}
