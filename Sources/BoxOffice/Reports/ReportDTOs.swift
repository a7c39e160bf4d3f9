import Vapor

/// The money and counts of one row of the sales report, or of its totals. All amounts are minor units (paise).
///
/// `paid = gross + food − discount + cgst + sgst` (what the completed payments brought in) and
/// `net = paid − refunds`.
struct SalesFigures: Content, Equatable {
    /// Completed payments (each pays one booking).
    var bookings = 0
    /// Seats of the bookings those payments paid.
    var tickets = 0
    /// Seats at their show prices, before the discount.
    var grossMinor = 0
    var discountMinor = 0
    /// Food at its prices, before the discount.
    var foodMinor = 0
    var cgstMinor = 0
    var sgstMinor = 0
    var paidMinor = 0
    /// Completed refunds.
    var refundsMinor = 0
    var netMinor = 0

    static func + (lhs: SalesFigures, rhs: SalesFigures) -> SalesFigures {
        SalesFigures(
            bookings: lhs.bookings + rhs.bookings, tickets: lhs.tickets + rhs.tickets,
            grossMinor: lhs.grossMinor + rhs.grossMinor, discountMinor: lhs.discountMinor + rhs.discountMinor,
            foodMinor: lhs.foodMinor + rhs.foodMinor, cgstMinor: lhs.cgstMinor + rhs.cgstMinor,
            sgstMinor: lhs.sgstMinor + rhs.sgstMinor, paidMinor: lhs.paidMinor + rhs.paidMinor,
            refundsMinor: lhs.refundsMinor + rhs.refundsMinor, netMinor: lhs.netMinor + rhs.netMinor)
    }
}

/// One row: a business day (`key` the date), a movie, a show or a screen (`key` its id), with its figures beside
/// `key` and `label` in the same object.
struct SalesReportRow: Content, Equatable {
    var key: String
    var label: String
    var figures: SalesFigures

    private enum CodingKeys: String, CodingKey { case key, label }

    init(key: String, label: String, figures: SalesFigures) {
        self.key = key
        self.label = label
        self.figures = figures
    }

    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        key = try container.decode(String.self, forKey: .key)
        label = try container.decode(String.self, forKey: .label)
        figures = try SalesFigures(from: decoder)
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(key, forKey: .key)
        try container.encode(label, forKey: .label)
        try figures.encode(to: encoder)
    }
}

struct SalesReportResponse: Content {
    var from: String
    var to: String
    var groupBy: SalesReportQuery.Grouping
    /// The zone the business days are in, e.g. `Asia/Kolkata`.
    var timeZone: String
    var currency: String
    var rows: [SalesReportRow]
    var totals: SalesFigures
}

/// Taxable value and GST of one slab, or of a month. All amounts are minor units.
struct GSTFigures: Content, Equatable {
    var taxableValueMinor = 0
    var cgstMinor = 0
    var sgstMinor = 0

    var total: Int { taxableValueMinor + cgstMinor + sgstMinor }

    static func + (lhs: GSTFigures, rhs: GSTFigures) -> GSTFigures {
        GSTFigures(
            taxableValueMinor: lhs.taxableValueMinor + rhs.taxableValueMinor, cgstMinor: lhs.cgstMinor + rhs.cgstMinor,
            sgstMinor: lhs.sgstMinor + rhs.sgstMinor)
    }

    static func - (lhs: GSTFigures, rhs: GSTFigures) -> GSTFigures {
        GSTFigures(
            taxableValueMinor: lhs.taxableValueMinor - rhs.taxableValueMinor, cgstMinor: lhs.cgstMinor - rhs.cgstMinor,
            sgstMinor: lhs.sgstMinor - rhs.sgstMinor)
    }
}

/// One GST slab of one kind of supply in a month: what is left to file (`taxable_value_minor`, `cgst_minor`,
/// `sgst_minor`: sales net of refunds) beside its two parts.
struct GSTReportRow: Content, Equatable {
    enum Supply: String, CaseIterable, Codable, Sendable { case ticket, food }

    var supply: Supply
    var cgstRate: Percent
    var sgstRate: Percent
    var sales: GSTFigures
    var refunds: GSTFigures
    var net: GSTFigures { sales - refunds }

    private enum CodingKeys: String, CodingKey { case supply, cgstRate, sgstRate, sales, refunds }

    init(supply: Supply, cgstRate: Percent, sgstRate: Percent, sales: GSTFigures, refunds: GSTFigures) {
        self.supply = supply
        self.cgstRate = cgstRate
        self.sgstRate = sgstRate
        self.sales = sales
        self.refunds = refunds
    }

    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        supply = try container.decode(Supply.self, forKey: .supply)
        cgstRate = try container.decode(Percent.self, forKey: .cgstRate)
        sgstRate = try container.decode(Percent.self, forKey: .sgstRate)
        sales = try container.decode(GSTFigures.self, forKey: .sales)
        refunds = try container.decode(GSTFigures.self, forKey: .refunds)
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(supply, forKey: .supply)
        try container.encode(cgstRate, forKey: .cgstRate)
        try container.encode(sgstRate, forKey: .sgstRate)
        try net.encode(to: encoder)
        try container.encode(sales, forKey: .sales)
        try container.encode(refunds, forKey: .refunds)
    }
}

struct GSTReportResponse: Content {
    var month: String
    var from: String
    var to: String
    var timeZone: String
    var currency: String
    var rows: [GSTReportRow]
    var totals: Totals

    /// The rows added up, and the month's ledger: `taxable_value_minor + cgst_minor + sgst_minor` (net) equals
    /// `ledger_payments_minor − ledger_refunds_minor` to the paisa.
    struct Totals: Content, Equatable {
        var taxableValueMinor: Int
        var cgstMinor: Int
        var sgstMinor: Int
        var sales: GSTFigures
        var refunds: GSTFigures
        /// Completed payments of the month.
        var ledgerPaymentsMinor: Int
        /// Completed refunds of the month.
        var ledgerRefundsMinor: Int
    }
}

struct OccupancyReportRow: Content, Equatable {
    var showId: UUID
    var movieTitle: String
    var screenName: String
    var startsAt: Date
    /// The local start time, `HH:mm`.
    var showTime: String
    var status: ShowStatus
    var seatsOnSale: Int
    var sold: Int
    var admitted: Int
    var occupancyPercent: Percent
}

struct OccupancyReportResponse: Content {
    var date: String
    var timeZone: String
    var rows: [OccupancyReportRow]
    var totals: Totals

    /// Over the shows still scheduled (a cancelled show sells nothing and would only lower the figure).
    struct Totals: Content, Equatable {
        var shows: Int
        var seatsOnSale: Int
        var sold: Int
        var admitted: Int
        var occupancyPercent: Percent
    }
}

extension Percent {
    /// `part` of `whole` as a percentage with one decimal, half-up (`2` of `3` is 66.7); 0 when `whole` is 0.
    static func share(_ part: Int, of whole: Int) -> Percent {
        guard whole > 0 else { return Percent(basisPoints: 0) }
        let permille = (part * 2_000 + whole) / (2 * whole)
        return Percent(basisPoints: permille * 10)
    }
}
