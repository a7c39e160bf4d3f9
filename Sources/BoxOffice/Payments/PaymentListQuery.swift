import Vapor

/// `GET /payments`: status and booking.
struct PaymentListQuery: ListQuery {
    var status: PaymentStatus?
    var bookingID: UUID?

    init(from req: Request) throws {
        status = try req.queryEnum("status", PaymentStatus.self)
        bookingID = try req.query.get(UUID?.self, at: "booking_id")
    }

    static let parameters: [APIDoc.QueryParameter] = [
        .init(
            name: "status", schema: .enumeration(PaymentStatus.self, required: false), description: "Only this status"),
        .uuid("booking_id", "Only this booking's"),
    ]
}
