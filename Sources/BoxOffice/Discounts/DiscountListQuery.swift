import Vapor

/// `GET /discounts`: active flag and part of the code.
struct DiscountListQuery: ListQuery {
    var isActive: Bool?
    var code: String?

    init(from req: Request) throws {
        isActive = try req.query.get(Bool?.self, at: "is_active")
        code = try req.queryText("code")
    }

    static let parameters: [APIDoc.QueryParameter] = [
        .init(name: "is_active", schema: .boolean(required: false), description: "Only active (or inactive) codes"),
        .init(name: "code", schema: .string(required: false), description: "Code contains (case-insensitive)"),
    ]
}
