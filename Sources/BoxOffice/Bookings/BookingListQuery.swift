import Rules
import Vapor

/// `GET /bookings`: status, show, reference, user (admins only) and a creation window.
struct BookingListQuery: ListQuery {
    var status: BookingStatus?
    var showID: UUID?
    var userID: UUID?
    /// A booking reference as printed on the ticket; matched without regard to case.
    var reference: String?
    var from: Date?
    var to: Date?

    init(from req: Request) throws {
        status = try req.queryEnum("status", BookingStatus.self)
        showID = try req.query.get(UUID?.self, at: "show_id")
        userID = try req.query.get(UUID?.self, at: "user_id")
        reference = try req.query.get(String?.self, at: "reference")?.trimmed.uppercased()
        if let reference, reference.isEmpty || reference.count > 20 {
            throw APIError.validation(field: "reference", "must be a booking reference like BX-7K2M9Q")
        }
        from = try req.queryDate("from")
        to = try req.queryDate("to")
    }

    static let parameters: [APIDoc.QueryParameter] = [
        .init(
            name: "status", schema: .enumeration(BookingStatus.self, required: false), description: "Only this status"),
        .uuid("show_id", "Only this show's"),
        .uuid("user_id", "Admins: only this user's"),
        .init(
            name: "reference", schema: .string(required: false, minLength: 1, maxLength: 20),
            description: "Only the booking with this reference (case does not matter)"),
        .dateTime("from", "Created at or after"),
        .dateTime("to", "Created before"),
    ]
}
