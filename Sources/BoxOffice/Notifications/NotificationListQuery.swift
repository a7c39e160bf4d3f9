import Vapor

/// `GET /notifications`: only the unread ones when asked.
struct NotificationListQuery: ListQuery {
    var unreadOnly: Bool

    init(from req: Request) throws {
        unreadOnly = try req.query.get(Bool?.self, at: "unread_only") ?? false
    }

    static let parameters: [APIDoc.QueryParameter] = [
        .init(name: "unread_only", schema: .boolean(required: false), description: "Only notifications not yet read")
    ]
}
