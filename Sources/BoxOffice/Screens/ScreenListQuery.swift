import Vapor

/// `GET /screens`: availability.
struct ScreenListQuery: ListQuery {
    var isAvailable: Bool?

    init(from req: Request) throws { isAvailable = try req.query.get(Bool?.self, at: "is_available") }

    static let parameters: [APIDoc.QueryParameter] = [
        .init(
            name: "is_available", schema: .boolean(required: false),
            description: "Only screens that are (or are not) available")
    ]
}
