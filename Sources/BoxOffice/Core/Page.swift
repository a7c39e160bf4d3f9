import Fluent
import Vapor

/// `{items, total, limit, offset}`: the shape of every list.
struct Page<Item: Content>: Content {
    var items: [Item]
    var total: Int
    var limit: Int
    var offset: Int
}

/// `limit` (1–100, default 20) and `offset` (0–`maxOffset`) from the query string.
///
/// Both are bounded before use, so `offset + limit` can never overflow (a trap would kill the process).
struct PageRequest: Sendable {
    static let maxOffset = 10_000_000
    var limit: Int
    var offset: Int

    init(from request: Request) throws {
        var checks = FieldChecks()
        let limit = try request.query.get(Int?.self, at: "limit") ?? 20
        let offset = try request.query.get(Int?.self, at: "offset") ?? 0
        checks.require((1...100).contains(limit), "limit", "must be from 1 to 100")
        checks.require((0...Self.maxOffset).contains(offset), "offset", "must be from 0 to \(Self.maxOffset)")
        try checks.throwIfAny()
        self.limit = limit
        self.offset = offset
    }

    /// One past the last index of the page; safe because both parts are bounded.
    var end: Int { offset + limit }
}

extension QueryBuilder {
    /// Runs the query for one page, with the total count of all matches.
    func page<Item: Content>(_ request: PageRequest, map: (Model) throws -> Item) async throws -> Page<Item> {
        try await page(request) { models in try models.map(map) }
    }

    /// The same, for responses that need the database: the page's models are mapped in one batch.
    func page<Item: Content>(_ request: PageRequest, mapAll: ([Model]) async throws -> [Item]) async throws -> Page<
        Item
    > {
        let total = try await copy().count()
        let models = try await range(request.offset..<request.end).all()
        return Page(items: try await mapAll(models), total: total, limit: request.limit, offset: request.offset)
    }
}
