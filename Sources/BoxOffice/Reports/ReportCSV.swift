import Vapor

/// A report as RFC 4180 CSV: a header line, the rows, then (where the report has them) a totals line; CRLF line
/// ends, UTF-8. Amounts stay integers in minor units, as in the JSON.
struct ReportCSV {
    var header: [String]
    var rows: [[String]] = []

    /// A text cell from the database (a movie title, a screen name): a leading `=`, `+`, `-`, `@`, tab or CR would
    /// make a spreadsheet read a formula, so such text gets a leading apostrophe.
    static func text(_ value: String) -> String {
        guard let first = value.first, "=+-@\t\r".contains(first) else { return value }
        return "'" + value
    }

    private static func field(_ value: String) -> String {
        guard value.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return value }
        return "\"" + value.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }

    var text: String {
        ([header] + rows).map { $0.map(Self.field).joined(separator: ",") + "\r\n" }.joined()
    }

    /// The answer: `text/csv; charset=utf-8`, to be saved as `filename`.
    func response(filename: String) -> Response {
        var headers = HTTPHeaders()
        headers.replaceOrAdd(name: .contentType, value: "text/csv; charset=utf-8")
        headers.replaceOrAdd(name: .contentDisposition, value: "attachment; filename=\"\(filename)\"")
        return Response(status: .ok, headers: headers, body: .init(string: text))
    }
}

extension SalesFigures {
    static let csvHeader = [
        "bookings", "tickets", "gross_minor", "discount_minor", "food_minor", "cgst_minor", "sgst_minor", "paid_minor",
        "refunds_minor", "net_minor",
    ]

    var csvCells: [String] {
        [
            bookings, tickets, grossMinor, discountMinor, foodMinor, cgstMinor, sgstMinor, paidMinor, refundsMinor,
            netMinor,
        ]
        .map(String.init)
    }
}

extension SalesReportResponse {
    var csv: ReportCSV {
        var csv = ReportCSV(header: ["key", "label"] + SalesFigures.csvHeader)
        csv.rows = rows.map { [$0.key, ReportCSV.text($0.label)] + $0.figures.csvCells }
        csv.rows.append(["TOTAL", "\(from) to \(to)"] + totals.csvCells)
        return csv
    }
}

extension GSTReportResponse {
    var csv: ReportCSV {
        var csv = ReportCSV(header: [
            "supply", "cgst_rate", "sgst_rate", "taxable_value_minor", "cgst_minor", "sgst_minor",
            "sales_taxable_value_minor", "sales_cgst_minor", "sales_sgst_minor", "refunds_taxable_value_minor",
            "refunds_cgst_minor", "refunds_sgst_minor",
        ])
        func cells(_ figures: GSTFigures) -> [String] {
            [figures.taxableValueMinor, figures.cgstMinor, figures.sgstMinor].map(String.init)
        }
        csv.rows = rows.map {
            [
                $0.supply.rawValue, "\(Decimal($0.cgstRate.basisPoints) / 100)",
                "\(Decimal($0.sgstRate.basisPoints) / 100)",
            ]
                + cells($0.net) + cells($0.sales) + cells($0.refunds)
        }
        let net = GSTFigures(
            taxableValueMinor: totals.taxableValueMinor, cgstMinor: totals.cgstMinor, sgstMinor: totals.sgstMinor)
        csv.rows.append(["TOTAL", "", ""] + cells(net) + cells(totals.sales) + cells(totals.refunds))
        return csv
    }
}

extension OccupancyReportResponse {
    var csv: ReportCSV {
        var csv = ReportCSV(header: [
            "show_id", "movie_title", "screen_name", "starts_at", "show_time", "status", "seats_on_sale", "sold",
            "admitted", "occupancy_percent",
        ])
        let instant = Date.ISO8601FormatStyle()
        csv.rows = rows.map {
            [
                $0.showId.uuidString, ReportCSV.text($0.movieTitle), ReportCSV.text($0.screenName),
                $0.startsAt.formatted(instant), $0.showTime, $0.status.rawValue, String($0.seatsOnSale),
                String($0.sold),
                String($0.admitted), "\(Decimal($0.occupancyPercent.basisPoints) / 100)",
            ]
        }
        csv.rows.append(
            [
                "TOTAL", "\(totals.shows) shows", "", "", "", "", String(totals.seatsOnSale), String(totals.sold),
                String(totals.admitted), "\(Decimal(totals.occupancyPercent.basisPoints) / 100)",
            ])
        return csv
    }
}
