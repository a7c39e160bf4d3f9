import Vapor

/// One notification as its owner sees it, over HTTP and over `/ws`.
struct NotificationResponse: Content, Equatable {
    struct Data: Codable, Sendable, Equatable {
        var bookingId: UUID?
        var showId: UUID?
        var feedbackId: UUID?
    }

    var id: UUID
    var type: String
    var title: String
    var message: String
    var data: Data
    var isRead: Bool
    var createdAt: Date
    var readAt: Date?

    init(_ notification: AppNotification) throws {
        id = try notification.requireID()
        type = notification.type
        title = notification.title
        message = notification.message
        data = (try? JSONDecoder.api.decode(Data.self, from: Foundation.Data(notification.data.utf8))) ?? Data()
        isRead = notification.isRead
        createdAt = notification.createdAt
        readAt = notification.readAt
    }
}

/// `POST /notifications/mark_all_read` and its seed twin: how many changed from unread to read.
struct MarkReadResponse: Content {
    var updated: Int
}
