import OpenAPIKit
import Vapor

/// How a report is answered: JSON (the default) or CSV (`format=csv`, or `Accept: text/csv` without `format`).
enum ReportFormat: String, CaseIterable, Sendable {
    case json, csv

    static let parameter = APIDoc.QueryParameter(
        name: "format", schema: .string(required: false, allowedValues: "json", "csv"),
        description: "csv for a spreadsheet (also chosen by Accept: text/csv); default json")
}

extension Request {
    /// A required business date `YYYY-MM-DD` of the years reports cover (422 otherwise).
    fileprivate func reportDate(_ name: String) throws -> String {
        guard let date = try queryLocalDate(name) else {
            throw APIError.validation(field: name, "is required: a date written YYYY-MM-DD")
        }
        guard ReportCalendar.inRange(date) else {
            throw APIError.validation(field: name, "must be a date from 2000 to 2199")
        }
        return date
    }

    /// CSV when `format=csv`, or when `Accept` names `text/csv` and `format` is absent.
    func wantsCSV(_ format: ReportFormat?) -> Bool {
        if let format { return format == .csv }
        return headers.accept.contains { $0.mediaType.type == "text" && $0.mediaType.subType == "csv" && $0.q != 0 }
    }
}

/// `GET /reports/sales?from=&to=&group_by=&format=`.
struct SalesReportQuery: ListQuery {
    enum Grouping: String, CaseIterable, Codable, Sendable {
        case day, movie, show, screen
    }

    /// The longest range one report covers: a year, leap day included.
    static let maxDays = 366

    var from: String
    var to: String
    var groupBy: Grouping
    var format: ReportFormat?
    var days: Int

    init(from req: Request) throws {
        from = try req.reportDate("from")
        to = try req.reportDate("to")
        groupBy = try req.queryEnum("group_by", Grouping.self) ?? .day
        format = try req.queryEnum("format", ReportFormat.self)
        days = ReportCalendar.span(from: from, to: to) ?? 0
        var checks = FieldChecks()
        checks.require(days >= 1, "to", "must not be before from")
        checks.require(days <= Self.maxDays, "to", "must be at most \(Self.maxDays) days from from, both counted")
        try checks.throwIfAny()
    }

    static let parameters: [APIDoc.QueryParameter] = [
        .localDate("from", "First business day (cinema time zone), YYYY-MM-DD", required: true),
        .localDate("to", "Last business day, counted; at most 366 days from `from`", required: true),
        .init(
            name: "group_by", schema: .string(required: false, allowedValues: "day", "movie", "show", "screen"),
            description: "One row per business day (the default; every day of the range), movie, show or screen"),
        ReportFormat.parameter,
    ]
}

/// `GET /reports/gst?month=YYYY-MM&format=`.
struct GSTReportQuery: ListQuery {
    var month: String
    var format: ReportFormat?

    init(from req: Request) throws {
        guard let month = try req.queryText("month") else {
            throw APIError.validation(field: "month", "is required: a month written YYYY-MM")
        }
        guard ReportCalendar.month(month) != nil else {
            throw APIError.validation(field: "month", "must be a month written YYYY-MM, from 2000 to 2199")
        }
        self.month = month
        format = try req.queryEnum("format", ReportFormat.self)
    }

    static let parameters: [APIDoc.QueryParameter] = [
        .init(
            name: "month", schema: .string(required: true, minLength: 7, maxLength: 7, pattern: "^[0-9]{4}-[0-9]{2}$"),
            description: "The month, YYYY-MM, in the cinema's calendar"),
        ReportFormat.parameter,
    ]
}

/// `GET /reports/occupancy?date=YYYY-MM-DD&format=`.
struct OccupancyReportQuery: ListQuery {
    var date: String
    var format: ReportFormat?

    init(from req: Request) throws {
        date = try req.reportDate("date")
        format = try req.queryEnum("format", ReportFormat.self)
    }

    static let parameters: [APIDoc.QueryParameter] = [
        .localDate("date", "The business day whose shows to list (by start, cinema time zone)", required: true),
        ReportFormat.parameter,
    ]
}
