import OpenAPIKit
import Vapor

/// The query string of one list or lookup route, parsed once into typed values; its parameters are documented
/// from the same type, so what a route reads and what `/openapi.json` says cannot differ.
protocol ListQuery: Sendable {
    init(from req: Request) throws
    static var parameters: [APIDoc.QueryParameter] { get }
}

extension Request {
    /// The route's typed query.
    func query<Q: ListQuery>(_ type: Q.Type) throws -> Q { try Q(from: self) }

    /// A string enumeration by raw value, ignoring case; a 422 naming the allowed values otherwise.
    func queryEnum<E: RawRepresentable & CaseIterable>(_ name: String, _ type: E.Type) throws -> E?
    where E.RawValue == String {
        guard let raw = try query.get(String?.self, at: name)?.trimmed, !raw.isEmpty else { return nil }
        guard let value = E.allCases.first(where: { $0.rawValue.lowercased() == raw.lowercased() }) else {
            throw APIError.validation(
                field: name, "must be one of \(E.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        return value
    }

    /// Non-blank text, trimmed.
    func queryText(_ name: String) throws -> String? {
        guard let value = try query.get(String?.self, at: name)?.trimmed, !value.isEmpty else { return nil }
        return value
    }

    /// A cinema-local date `YYYY-MM-DD`.
    func queryLocalDate(_ name: String) throws -> String? {
        guard let value = try queryText(name) else { return nil }
        guard value.count == 10, CinemaTime(timeZone: .gmt).date(value) != nil else {
            throw APIError.validation(field: name, "must be a real date written YYYY-MM-DD")
        }
        return value
    }
}

extension APIDoc.QueryParameter {
    static func uuid(_ name: String, _ description: String, required: Bool = false) -> Self {
        .init(name: name, schema: .string(format: .uuid, required: required), description: description)
    }

    static func dateTime(_ name: String, _ description: String) -> Self {
        .init(
            name: name, schema: .string(format: .dateTime, required: false),
            description: "\(description); ISO 8601, 2000–2200")
    }

    static func localDate(_ name: String, _ description: String, required: Bool = false) -> Self {
        .init(name: name, schema: .string(format: .date, required: required), description: description)
    }
}

/// `?screen_id=`: the seats or categories of one screen.
struct ScreenScopedQuery: ListQuery {
    var screenID: UUID?

    init(from req: Request) throws { screenID = try req.query.get(UUID?.self, at: "screen_id") }

    static let parameters: [APIDoc.QueryParameter] = [.uuid("screen_id", "Only this screen's")]
}

/// `?show_id=`: the prices or holds of one show.
struct ShowScopedQuery: ListQuery {
    var showID: UUID?

    init(from req: Request) throws { showID = try req.query.get(UUID?.self, at: "show_id") }

    static let parameters: [APIDoc.QueryParameter] = [.uuid("show_id", "Only this show's")]
}
