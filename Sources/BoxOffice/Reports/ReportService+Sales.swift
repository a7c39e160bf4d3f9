import Fluent
import Foundation
import SQLKit

extension ReportService {
    /// Sales of `query.from` … `query.to` (business days), grouped as asked; see `ReportService` for attribution.
    ///
    /// One statement: completed payments of the range (each with its booking's breakdown and seat count) and
    /// completed refunds of the range, as one stream of events grouped by the key. Labels are joined to the
    /// aggregated rows afterwards, so they are read once per row, not once per payment.
    func sales(_ query: SalesReportQuery, on db: any Database) async throws -> SalesReportResponse {
        let period = try BusinessDays(from: query.from, count: query.days, time: time)
        let statement = Self.salesStatement(query.groupBy, period)
        let rows = try await snapshot(db) { try await $0.raw(statement).all() }
        var report = try rows.map { try salesRow($0, query.groupBy, period) }
        switch query.groupBy {
        case .day:
            // Every day of the range, with or without sales: a chart of revenue by day has no gaps.
            let found = Dictionary(report.map { ($0.key, $0) }, uniquingKeysWith: { first, _ in first })
            report = period.days.map {
                found[$0.date]
                    ?? SortableRow(
                        row: SalesReportRow(key: $0.date, label: $0.date, figures: .init()), sortDate: $0.start)
            }
        case .show:
            report.sort { ($0.sortDate, $0.label, $0.key) < ($1.sortDate, $1.label, $1.key) }
        case .movie, .screen:
            report.sort { ($1.figures.netMinor, $0.label, $0.key) < ($0.figures.netMinor, $1.label, $1.key) }
        }
        return SalesReportResponse(
            from: query.from, to: query.to, groupBy: query.groupBy, timeZone: timeZone, currency: currency,
            rows: report.map(\.row), totals: report.reduce(SalesFigures()) { $0 + $1.figures })
    }

    private struct SortableRow {
        var row: SalesReportRow
        var sortDate: Date

        var key: String { row.key }
        var label: String { row.label }
        var figures: SalesFigures { row.figures }
    }

    private func salesRow(_ row: any SQLRow, _ grouping: SalesReportQuery.Grouping, _ period: BusinessDays) throws
        -> SortableRow
    {
        let paid = try row.int("paid")
        let refunds = try row.int("refunds")
        let figures = SalesFigures(
            bookings: try row.int("bookings"), tickets: try row.int("tickets"), grossMinor: try row.int("gross"),
            discountMinor: try row.int("discount"), foodMinor: try row.int("food"), cgstMinor: try row.int("cgst"),
            sgstMinor: try row.int("sgst"), paidMinor: paid, refundsMinor: refunds, netMinor: paid - refunds)
        func text(_ column: String) throws -> String {
            try row.decodeNil(column: column) ? "" : row.decode(column: column, as: String.self)
        }
        let key: String
        let label: String
        var date = Date.distantPast
        switch grouping {
        case .day:
            let index = try row.int("k")
            key = period.days.indices.contains(index) ? period.days[index].date : String(index)
            label = key
        case .movie:
            key = try row.decode(column: "k", as: UUID.self).uuidString
            label = try text("title")
        case .screen:
            key = try row.decode(column: "k", as: UUID.self).uuidString
            label = try text("screen_name")
        case .show:
            key = try row.decode(column: "k", as: UUID.self).uuidString
            label = [try text("title"), "\(try text("show_date")) \(try text("show_time"))", try text("screen_name")]
                .joined(separator: " · ")
            date = try row.decodeNil(column: "starts_at") ? date : row.decode(column: "starts_at", as: Date.self)
        }
        return SortableRow(row: SalesReportRow(key: key, label: label, figures: figures), sortDate: date)
    }

    /// The statement for one grouping. Payments and refunds are found by status and `completed_at` (indexed,
    /// `AddReportIndexes`); by day, each is bucketed into its business day by `ReportSQL.day(of:in:)`.
    static func salesStatement(_ grouping: SalesReportQuery.Grouping, _ period: BusinessDays) -> SQLQueryString {
        let completedPayment = ReportSQL.completedPayment
        let completedRefund = ReportSQL.completedRefund
        let paymentKey: SQLQueryString, refundKey: SQLQueryString
        var showJoin = " JOIN shows sh ON sh.id = b.show_id"
        switch grouping {
        case .day:
            paymentKey = ReportSQL.day(of: "p.completed_at", in: period)
            refundKey = ReportSQL.day(of: "r.completed_at", in: period)
            showJoin = ""
        case .movie: (paymentKey, refundKey) = ("sh.movie_id", "sh.movie_id")
        case .screen: (paymentKey, refundKey) = ("sh.screen_id", "sh.screen_id")
        case .show:
            (paymentKey, refundKey) = ("b.show_id", "b.show_id")
            showJoin = ""
        }
        let payments: SQLQueryString = """
            SELECT \(paymentKey) AS k, 1 AS bookings,
                (SELECT COUNT(*) FROM booking_seats bs WHERE bs.booking_id = b.id) AS tickets,
                b.seats_subtotal_minor AS gross, b.discount_minor AS discount, b.food_subtotal_minor AS food,
                b.cgst_minor AS cgst, b.sgst_minor AS sgst, p.amount_minor AS paid, 0 AS refunds
            FROM payments p JOIN bookings b ON b.id = p.booking_id\(unsafeRaw: showJoin)
            WHERE p.status = \(bind: completedPayment)
                AND p.completed_at >= \(bind: period.start) AND p.completed_at < \(bind: period.end)
            """
        // By day a refund needs nothing but itself; otherwise its booking (and show) give the key.
        let refundJoins =
            grouping == .day
            ? "" : " JOIN payments p ON p.id = r.payment_id JOIN bookings b ON b.id = p.booking_id" + showJoin
        let refunds: SQLQueryString = """
            SELECT \(refundKey) AS k, 0 AS bookings, 0 AS tickets, 0 AS gross, 0 AS discount, 0 AS food,
                0 AS cgst, 0 AS sgst, 0 AS paid, r.amount_minor AS refunds
            FROM refunds r\(unsafeRaw: refundJoins)
            WHERE r.status = \(bind: completedRefund)
                AND r.completed_at >= \(bind: period.start) AND r.completed_at < \(bind: period.end)
            """
        let measures = ["bookings", "tickets", "gross", "discount", "food", "cgst", "sgst", "paid", "refunds"]
        let sums = measures.map { ReportSQL.sum("e.\($0)", as: $0) }.joined(separator: ", ")
        let aggregated: SQLQueryString =
            "SELECT e.k AS k, " + sums + " FROM (" + payments + " UNION ALL " + refunds + ") e GROUP BY e.k"
        // The labels of the aggregated rows: one lookup per row.
        let labels: (columns: String, joins: String)
        switch grouping {
        case .day: return aggregated
        case .movie: labels = ("m.title AS title", "LEFT JOIN movies m ON m.id = a.k")
        case .screen: labels = ("sc.name AS screen_name", "LEFT JOIN screens sc ON sc.id = a.k")
        case .show:
            labels = (
                "m.title AS title, sc.name AS screen_name, s.show_date AS show_date, s.show_time AS show_time, "
                    + "s.starts_at AS starts_at",
                "LEFT JOIN shows s ON s.id = a.k LEFT JOIN movies m ON m.id = s.movie_id "
                    + "LEFT JOIN screens sc ON sc.id = s.screen_id"
            )
        }
        return "SELECT a.*, \(unsafeRaw: labels.columns) FROM (" + aggregated + ") a \(unsafeRaw: labels.joins)"
    }
}
