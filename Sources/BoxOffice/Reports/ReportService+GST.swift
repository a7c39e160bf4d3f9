import Fluent
import SQLKit

extension ReportService {
    /// The month's GST return, per slab (CGST and SGST rates) and per kind of supply (tickets, food): the taxable
    /// value and both taxes of the booking lines whose payment completed in the month, less the part of each refund
    /// that completed in the month.
    ///
    /// Refunds are apportioned to every line of their booking in proportion, cumulatively per payment: with `P` paid
    /// and `S` the payment's refunds up to and including this one (in the order they were recorded), a refund of `R`
    /// takes back `⌊line × S / P⌋ − ⌊line × (S − R) / P⌋` of each line's taxable value, CGST and SGST, and the few
    /// paise those floors leave (`R` minus their sum) from the taxable value of the booking's highest ticket slab. So
    /// the refunds in the rows add up to the ledger's refunds exactly, refunds reaching the whole payment take back
    /// every line exactly, and the net rows add up to the month's completed payments minus its completed refunds, to
    /// the paisa.
    func gst(_ query: GSTReportQuery, on db: any Database) async throws -> GSTReportResponse {
        guard let month = ReportCalendar.month(query.month) else {
            throw APIError.validation(field: "month", "must be a month written YYYY-MM")
        }
        let period = try BusinessDays(from: month.first, count: month.days, time: time)
        let statements = (
            sales: Self.gstSalesStatement(period), refunds: Self.gstRefundsStatement(period),
            ledger: Self.ledgerStatement(period)
        )
        let (salesRows, refundRows, ledger) = try await snapshot(db) { sql in
            (
                try await sql.raw(statements.sales).all(), try await sql.raw(statements.refunds).all(),
                try await sql.raw(statements.ledger).first()
            )
        }
        typealias Slab = (supply: GSTReportRow.Supply, cgst: Int, sgst: Int)
        var slabs: [String: (slab: Slab, sales: GSTFigures, refunds: GSTFigures)] = [:]
        func add(_ rows: [any SQLRow], refunds: Bool) throws {
            for row in rows {
                let supply = GSTReportRow.Supply(rawValue: try row.decode(column: "supply", as: String.self)) ?? .ticket
                let slab = (supply, try row.int("cgst_bp"), try row.int("sgst_bp"))
                let figures = GSTFigures(
                    taxableValueMinor: try row.int("taxable"), cgstMinor: try row.int("cgst"),
                    sgstMinor: try row.int("sgst"))
                let id = "\(slab.0.rawValue)|\(slab.1)|\(slab.2)"
                var entry = slabs[id] ?? (slab, GSTFigures(), GSTFigures())
                if refunds { entry.refunds = entry.refunds + figures } else { entry.sales = entry.sales + figures }
                slabs[id] = entry
            }
        }
        try add(salesRows, refunds: false)
        try add(refundRows, refunds: true)
        let rows = slabs.values.map {
            GSTReportRow(
                supply: $0.slab.supply, cgstRate: Percent(basisPoints: $0.slab.cgst),
                sgstRate: Percent(basisPoints: $0.slab.sgst), sales: $0.sales, refunds: $0.refunds)
        }.sorted {
            ($0.supply.rawValue, $0.cgstRate.basisPoints, $0.sgstRate.basisPoints)
                < ($1.supply.rawValue, $1.cgstRate.basisPoints, $1.sgstRate.basisPoints)
        }
        let sales = rows.reduce(GSTFigures()) { $0 + $1.sales }
        let refunds = rows.reduce(GSTFigures()) { $0 + $1.refunds }
        let net = sales - refunds
        return GSTReportResponse(
            month: query.month, from: period.first, to: period.last, timeZone: timeZone, currency: currency,
            rows: rows,
            totals: .init(
                taxableValueMinor: net.taxableValueMinor, cgstMinor: net.cgstMinor, sgstMinor: net.sgstMinor,
                sales: sales, refunds: refunds, ledgerPaymentsMinor: try ledger?.int("payments") ?? 0,
                ledgerRefundsMinor: try ledger?.int("refunds") ?? 0))
    }

    /// The booking lines of the payments completed in the period, per slab.
    static func gstSalesStatement(_ period: BusinessDays) -> SQLQueryString {
        let paidIn: SQLQueryString = """
            p.status = \(bind: ReportSQL.completedPayment)
                AND p.completed_at >= \(bind: period.start) AND p.completed_at < \(bind: period.end)
            """
        let taxes = ReportSQL.sum("cgst_minor", as: "cgst") + ", " + ReportSQL.sum("sgst_minor", as: "sgst")
        return """
            SELECT 'ticket' AS supply, s.cgst_bp AS cgst_bp, s.sgst_bp AS sgst_bp, \
            \(ReportSQL.sum("s.price_minor - s.discount_minor", as: "taxable")), \(taxes)
            FROM payments p JOIN booking_seats s ON s.booking_id = p.booking_id
            WHERE \(paidIn)
            GROUP BY s.cgst_bp, s.sgst_bp
            UNION ALL
            SELECT 'food' AS supply, f.cgst_bp AS cgst_bp, f.sgst_bp AS sgst_bp, \
            \(ReportSQL.sum("f.unit_price_minor * f.quantity - f.discount_minor", as: "taxable")), \(taxes)
            FROM payments p JOIN booking_foods f ON f.booking_id = p.booking_id
            WHERE \(paidIn)
            GROUP BY f.cgst_bp, f.sgst_bp
            """
    }

    /// The refunds completed in the period, apportioned to their bookings' lines (see `gst(_:on:)`), per slab.
    static func gstRefundsStatement(_ period: BusinessDays) -> SQLQueryString {
        // A slab packed in one integer, so MAX picks one real slab (rates are at most 10 000 bp).
        let pack = 100_000
        // This refund's part of a line: the line's share of the refunds up to it, less its share of those before.
        func share(_ line: String) -> SQLQueryString {
            "(\(unsafeRaw: line)) * r.upto / r.paid - (\(unsafeRaw: line)) * (r.upto - r.amt) / r.paid"
        }
        return """
            WITH r AS (
                SELECT r.id AS rid, r.amount_minor AS amt, p.amount_minor AS paid, p.booking_id AS bid,
                    (SELECT CAST(SUM(q.amount_minor) AS BIGINT) FROM refunds q WHERE q.payment_id = r.payment_id
                        AND (q.created_at < r.created_at OR (q.created_at = r.created_at AND q.id <= r.id))) AS upto
                FROM refunds r JOIN payments p ON p.id = r.payment_id
                WHERE r.status = \(bind: ReportSQL.completedRefund) AND p.amount_minor > 0
                    AND r.completed_at >= \(bind: period.start) AND r.completed_at < \(bind: period.end)
            ), shares AS (
                SELECT r.rid AS rid, 'ticket' AS supply, s.cgst_bp AS cgst_bp, s.sgst_bp AS sgst_bp,
                    \(share("s.price_minor - s.discount_minor")) AS taxable,
                    \(share("s.cgst_minor")) AS cgst, \(share("s.sgst_minor")) AS sgst
                FROM r JOIN booking_seats s ON s.booking_id = r.bid
                UNION ALL
                SELECT r.rid, 'food', f.cgst_bp, f.sgst_bp, \(share("f.unit_price_minor * f.quantity - f.discount_minor")),
                    \(share("f.cgst_minor")), \(share("f.sgst_minor"))
                FROM r JOIN booking_foods f ON f.booking_id = r.bid
            ), rest AS (
                SELECT r.amt - COALESCE((SELECT SUM(x.taxable + x.cgst + x.sgst) FROM shares x WHERE x.rid = r.rid), 0)
                        AS taxable,
                    COALESCE((SELECT MAX(s.cgst_bp * \(literal: pack) + s.sgst_bp) FROM booking_seats s
                        WHERE s.booking_id = r.bid), 0) AS slab
                FROM r
            )
            SELECT e.supply AS supply, e.cgst_bp AS cgst_bp, e.sgst_bp AS sgst_bp, \
            \(ReportSQL.sum("e.taxable", as: "taxable")), \(ReportSQL.sum("e.cgst", as: "cgst")), \
            \(ReportSQL.sum("e.sgst", as: "sgst"))
            FROM (
                SELECT supply, cgst_bp, sgst_bp, taxable, cgst, sgst FROM shares
                UNION ALL
                SELECT 'ticket', slab / \(literal: pack), slab % \(literal: pack), taxable, 0, 0 FROM rest
            ) e
            GROUP BY e.supply, e.cgst_bp, e.sgst_bp
            """
    }

    /// The period's completed payments and completed refunds, straight from the ledger.
    static func ledgerStatement(_ period: BusinessDays) -> SQLQueryString {
        """
        SELECT (SELECT CAST(COALESCE(SUM(p.amount_minor), 0) AS BIGINT) FROM payments p
                WHERE p.status = \(bind: ReportSQL.completedPayment)
                    AND p.completed_at >= \(bind: period.start) AND p.completed_at < \(bind: period.end)) AS payments,
            (SELECT CAST(COALESCE(SUM(r.amount_minor), 0) AS BIGINT) FROM refunds r
                WHERE r.status = \(bind: ReportSQL.completedRefund)
                    AND r.completed_at >= \(bind: period.start) AND r.completed_at < \(bind: period.end)) AS refunds
        """
    }
}
