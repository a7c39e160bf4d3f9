import Vapor

/// `/reports/sales`, `/reports/gst`, `/reports/occupancy`: the office's reports, for admins, as JSON or CSV.
struct ReportController: RouteCollection {
    let context: RouteContext
    let reports: ReportService

    func boot(routes: any RoutesBuilder) throws {
        let (_, _, admin) = context.routes(routes, "reports", tag: "Reports")
        admin.on(
            .GET, "sales",
            summary:
                "Sales of a range of business days by day, movie, show or screen: sales by payment completion, "
                + "refunds by refund completion; totals.net_minor is the ledger's payments minus refunds",
            response: .of(SalesReportResponse.self), query: SalesReportQuery.parameters, use: sales
        ).alsoAnswersCSV(SalesReportResponse.csvSchema)
        admin.on(
            .GET, "gst",
            summary: "A month's GST per slab, for tickets and for food: taxable value, CGST and SGST net of refunds",
            response: .of(GSTReportResponse.self), query: GSTReportQuery.parameters, use: gst
        ).alsoAnswersCSV(GSTReportResponse.csvSchema)
        admin.on(
            .GET, "occupancy",
            summary: "The shows of a business day: seats on sale, sold, admitted and occupancy",
            response: .of(OccupancyReportResponse.self), query: OccupancyReportQuery.parameters, use: occupancy
        ).alsoAnswersCSV(OccupancyReportResponse.csvSchema)
    }

    @Sendable func sales(req: Request) async throws -> Response {
        let query = try req.query(SalesReportQuery.self)
        let report = try await reports.sales(query, on: req.db)
        guard !req.wantsCSV(query.format) else {
            return report.csv.response(filename: "sales-\(query.from)-\(query.to).csv")
        }
        return try await report.encodeResponse(for: req)
    }

    @Sendable func gst(req: Request) async throws -> Response {
        let query = try req.query(GSTReportQuery.self)
        let report = try await reports.gst(query, on: req.db)
        guard !req.wantsCSV(query.format) else { return report.csv.response(filename: "gst-\(query.month).csv") }
        return try await report.encodeResponse(for: req)
    }

    @Sendable func occupancy(req: Request) async throws -> Response {
        let query = try req.query(OccupancyReportQuery.self)
        let report = try await reports.occupancy(query, on: req.db)
        guard !req.wantsCSV(query.format) else {
            return report.csv.response(filename: "occupancy-\(query.date).csv")
        }
        return try await report.encodeResponse(for: req)
    }
}

extension Route {
    /// Documents the `text/csv` form of the route's answer beside its JSON.
    fileprivate func alsoAnswersCSV(_ schema: SchemaRef) {
        guard var doc = apiDoc else { return }
        doc.alternativeResponses.append((contentType: "text/csv", schema: schema))
        userInfo[APIDoc.userInfoKey] = doc
    }
}
