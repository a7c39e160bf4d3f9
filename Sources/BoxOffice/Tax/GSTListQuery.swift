import Vapor

/// `GET /gst`: one GST category.
struct GSTListQuery: ListQuery {
    var category: String?

    init(from req: Request) throws { category = try req.queryText("category") }

    static let parameters: [APIDoc.QueryParameter] = [
        .init(name: "category", schema: .string(required: false), description: "Only this GST category, e.g. ticket")
    ]
}
