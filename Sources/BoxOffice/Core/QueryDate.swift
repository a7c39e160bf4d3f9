import Foundation
import Vapor

/// The one way a date-time is read from a query string: ISO 8601 in UTC or with an offset
/// (`2026-01-01T00:00:00Z`, fractional seconds allowed), within `QueryDate.range`; anything else is a 422.
///
/// Never seconds since 1970: `from=1e300` was read that way and trapped in the PostgreSQL driver.
enum QueryDate {
    /// 2000-01-01 to 2200-01-01: every date a cinema's records can hold, far inside what the drivers store.
    static let range = Date(timeIntervalSince1970: 946_684_800)...Date(timeIntervalSince1970: 7_258_118_400)

    static func parse(_ text: String) -> Date? {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        guard trimmed.count <= 40 else { return nil }
        let date =
            (try? Date(trimmed, strategy: .iso8601))
            ?? (try? Date(trimmed, strategy: Date.ISO8601FormatStyle(includingFractionalSeconds: true)))
        guard let date, range.contains(date) else { return nil }
        return date
    }
}

extension Request {
    /// The named query parameter as a date-time, nil when absent; a 422 when it is not an ISO 8601 date-time in range.
    func queryDate(_ name: String) throws -> Date? {
        guard let raw = try query.get(String?.self, at: name), !raw.isEmpty else { return nil }
        guard let date = QueryDate.parse(raw) else {
            throw APIError.validation(
                field: name, "must be an ISO 8601 date-time such as 2026-01-01T00:00:00Z, from 2000 to 2200")
        }
        return date
    }
}
