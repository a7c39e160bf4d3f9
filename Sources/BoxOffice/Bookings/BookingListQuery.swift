import Rules
import Vapor

/// `GET /bookings`: status, show, user (admins only) and a creation window.
struct BookingListQuery: ListQuery {
    var status: BookingStatus?
    var showID: UUID?
    var userID: UUID?
    var from: Date?
    var to: Date?

    init(from req: Request) throws {
        status = try req.queryEnum("status", BookingStatus.self)
        showID = try req.query.get(UUID?.self, at: "show_id")
        userID = try req.query.get(UUID?.self, at: "user_id")
        from = try req.queryDate("from")
        to = try req.queryDate("to")
    }

    static let parameters: [APIDoc.QueryParameter] = [
        .init(
            name: "status", schema: .enumeration(BookingStatus.self, required: false), description: "Only this status"),
        .uuid("show_id", "Only this show's"),
        .uuid("user_id", "Admins: only this user's"),
        .dateTime("from", "Created at or after"),
        .dateTime("to", "Created before"),
    ]
}
