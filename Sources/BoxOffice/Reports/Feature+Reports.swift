import Vapor

extension Feature {
    /// The office's reports (admin): sales, GST and occupancy, read straight from the ledger and the bookings.
    static func reports(_ box: BoxOffice, _ context: RouteContext) -> Feature {
        Feature(name: "reports", routes: [ReportController(context: context, reports: box.reports)])
    }
}
