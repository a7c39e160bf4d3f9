import Fluent
import SQLKit
import Vapor

/// Stores customers' notifications (once per event) and lets each customer read and mark only their own.
struct NotificationService: Sendable {
    let clock: any AppClock

    /// Stores the notification an event asks for; nil when this event was stored before (a repeated delivery, or
    /// another instance's), so the caller pushes it once only.
    func record(_ event: NotificationEvent, on db: any Database) async throws -> NotificationResponse? {
        let notification = AppNotification()
        notification.id = UUID()
        notification.$user.id = event.userID
        notification.eventID = event.id
        notification.type = event.kind.rawValue
        notification.title = Self.title(event.kind)
        notification.message = event.message
        let data = NotificationResponse.Data(
            bookingId: event.bookingID, showId: event.showID, feedbackId: event.feedbackID)
        notification.data = String(decoding: try JSONEncoder.api.encode(data), as: UTF8.self)
        notification.isRead = false
        notification.createdAt = clock.now()
        let inserted = try await db.sql().insert(into: AppNotification.schema)
            .columns("id", "user_id", "event_id", "type", "title", "message", "data", "is_read", "created_at")
            .values(
                SQLBind(notification.id), SQLBind(event.userID), SQLBind(event.id), SQLBind(notification.type),
                SQLBind(notification.title), SQLBind(notification.message), SQLBind(notification.data),
                SQLBind(false), SQLBind(notification.createdAt)
            )
            .ignoringConflicts(with: "event_id")
            .returning("id").all()
        return inserted.isEmpty ? nil : try NotificationResponse(notification)
    }

    /// The caller's notifications, newest first.
    func list(userID: UUID, unreadOnly: Bool, page: PageRequest, on db: any Database) async throws -> Page<
        NotificationResponse
    > {
        let query = AppNotification.query(on: db).filter(\.$user.$id == userID)
        if unreadOnly { query.filter(\.$isRead == false) }
        return try await query.sort(\.$createdAt, .descending).sort(\.$id, .descending).page(page) {
            try NotificationResponse($0)
        }
    }

    /// Marks one of the user's notifications read (again: nothing changes). Anyone else's is a 404.
    func markRead(_ id: UUID, userID: UUID, on db: any Database) async throws -> NotificationResponse {
        guard
            let notification = try await AppNotification.query(on: db).filter(\.$id == id)
                .filter(\.$user.$id == userID).first()
        else { throw APIError.notFound("Notification") }
        if !notification.isRead {
            notification.isRead = true
            notification.readAt = clock.now()
            try await notification.save(on: db)
        }
        return try NotificationResponse(notification)
    }

    /// Marks every unread notification of the user read; returns how many.
    func markAllRead(userID: UUID, on db: any Database) async throws -> Int {
        try await db.sql().update(AppNotification.schema)
            .set("is_read", to: true).set("read_at", to: clock.now())
            .where("user_id", .equal, userID).where("is_read", .equal, false)
            .returning("id").all().count
    }

    static func title(_ kind: NotificationEvent.Kind) -> String {
        switch kind {
        case .bookingConfirmed: return "Booking confirmed"
        case .bookingCancelled: return "Booking cancelled"
        case .bookingExpired: return "Booking expired"
        case .bookingRefunded: return "Refund on its way"
        case .showCancelled: return "Show cancelled"
        case .feedbackReplied: return "The cinema replied to your feedback"
        case .bookingExchanged: return "Booking moved"
        case .seatsBooked, .seatsFreed: return "Seats changed"
        }
    }
}
