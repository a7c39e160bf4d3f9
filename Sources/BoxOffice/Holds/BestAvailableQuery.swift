import Vapor

/// `GET /shows/{id}/best-available`: how many seats, of which category, accessible or not.
struct BestAvailableQuery: ListQuery {
    var count: Int
    var categoryID: UUID?
    var accessible: Bool

    init(from req: Request) throws {
        guard let count = try req.query.get(Int?.self, at: "count") else {
            throw APIError.validation(field: "count", "is required")
        }
        self.count = count
        categoryID = try req.query.get(UUID?.self, at: "category_id")
        accessible = try req.query.get(Bool?.self, at: "accessible") ?? false
    }

    static let parameters: [APIDoc.QueryParameter] = [
        .init(
            name: "count", schema: .integer(maximum: (10, exclusive: false), minimum: (1, exclusive: false)),
            description: "How many seats"),
        .uuid("category_id", "Only this category"),
        .init(
            name: "accessible", schema: .boolean(required: false),
            description: "A wheelchair place with its companion seat(s)"),
    ]
}
