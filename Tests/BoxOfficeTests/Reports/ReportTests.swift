import Fluent
import Foundation
import Testing
import VaporTesting

@testable import BoxOffice

@Suite("Reports: sales against the ledger")
struct SalesLedgerTests {
    /// Two business days of a cinema (2026-11-18 and 19, Asia/Kolkata): bookings with food and promo codes, an admin's
    /// partial refund, a refund still pending at the gateway, a late payment that revived its expired booking, a failed
    /// and an unfinished payment, a payment just after local midnight (still the 18th in UTC), a customer's
    /// cancellation refunded 80 % by policy, and a cancelled show refunding its bookings in full. Every report's money
    /// is compared with the payments and refunds tables summed by the database.
    @Test func salesAndGSTMatchTheLedgerToThePaisa() async throws {
        try await withTestApp(configure: { $0.simulatorFailRefunds = 1 }) { t in
            var r = try await ReportFixture.make(t)
            let asha = try await t.customer(), ravi = try await t.customer(), kiran = try await t.customer()
            let meena = try await t.customer()

            // The simulator fails the first refund call: this goodwill refund stays PENDING, so no report counts it.
            let (_, first) = try await r.bookAndPay(["C1"], asha)
            try await r.refund(first, 500)
            let (bookingA, paymentA) = try await r.bookAndPay(
                ["B5", "F5"], asha, foods: [("Caramel Popcorn (Large)", 3)], code: "WELCOME10")
            let (bookingB, _) = try await r.bookAndPay(
                ["J1", "J2"], ravi, foods: [("Veg Samosa (2 pcs)", 2)], code: "FLAT50")
            let (bookingC, paymentC) = try await r.bookAndPay(["C5"], kiran)
            // Paid after its window: the booking expired, then the payment revived it.
            let late = try await r.book(["D5", "D6"], meena)
            let latePayment = try await r.f.payment(try await r.f.startPayment(late, meena).paymentId)
            t.clock.advance(by: 901)
            _ = try await BookingLifecycle(clock: t.clock).expireOverdue(on: t.app.db)
            #expect(try await r.f.status(of: late) == .expired)
            #expect(try await r.f.deliver(r.f.event("payment.succeeded", latePayment)).status == .ok)
            #expect(try await r.f.status(of: late) == .confirmed)
            // A failed payment and one never finished bring nothing in.
            let failed = try await r.f.startPayment(try await r.book(["E1"], ravi), ravi)
            #expect(try await r.f.simulate(failed, "failed", ravi).status == .ok)
            _ = try await r.f.startPayment(try await r.book(["E2"], ravi), ravi)
            // A second show, whose cancellation later refunds both its bookings.
            let second = try await r.anotherShow(daysAhead: 3, at: "14:00").requireID()
            let (_, paymentX) = try await r.bookAndPay(["G1"], asha, show: second)
            let (_, paymentY) = try await r.bookAndPay(
                ["G2", "G3"], ravi, foods: [("Masala Chai", 2)], show: second)
            try await r.refund(paymentA, 1234)

            // 00:10 on the 19th in the cinema is 18:40 on the 18th in UTC: the 19th's sale.
            t.clock.set(try r.at("2026-11-19", "00:10"))
            let night = try await t.login(kiran.email, kiran.password)
            _ = try await r.bookAndPay(["H1"], night)
            // 20 h before the show: 80 % back. Then the second show is cancelled: everything back.
            t.clock.set(try r.at("2026-11-19", "14:00"))
            let kiranNow = try await t.login(kiran.email, kiran.password)
            let cancel = try await t.request(.POST, "/bookings/\(bookingC.id)/cancel", token: kiranNow.accessToken)
            #expect(cancel.status == .ok)
            r.admin = try await t.login(CinemaBuilder.adminEmail, CinemaBuilder.adminPassword)
            let cancelShow = try await t.request(
                .PUT, "/shows/\(second)/cancel", json: ["reason": "Projector failure"], token: r.admin.accessToken)
            #expect(cancelShow.status == .ok)
            #expect(try await Refund.query(on: t.app.db).filter(\.$status == .pending).count() == 1)

            let day18 = try r.midnight("2026-11-18"), day19 = try r.midnight("2026-11-19")
            let day20 = try r.midnight("2026-11-20")
            let ledger18 = try await r.ledger(day18, day19), ledger19 = try await r.ledger(day19, day20)
            let byDay = try await r.sales("2026-11-18", "2026-11-19")
            #expect(byDay.rows.map(\.key) == ["2026-11-18", "2026-11-19"])
            let (row18, row19) = (byDay.rows[0].figures, byDay.rows[1].figures)
            #expect(row18.paidMinor == ledger18.payments && row18.refundsMinor == ledger18.refunds)
            #expect(row19.paidMinor == ledger19.payments && row19.refundsMinor == ledger19.refunds)
            #expect(
                byDay.totals.netMinor == ledger18.payments + ledger19.payments - ledger18.refunds - ledger19.refunds)
            #expect(row18.bookings == 7 && row18.tickets == 11 && row19.bookings == 1 && row19.tickets == 1)
            #expect(row18.refundsMinor == 1234)
            #expect(
                row19.refundsMinor
                    == (paymentC.amountMinor * 80 + 50) / 100 + paymentX.amountMinor + paymentY.amountMinor)
            #expect(row18.discountMinor == bookingA.breakdown.discountMinor + bookingB.breakdown.discountMinor)
            #expect(row18.foodMinor == bookingA.breakdown.foodMinor + bookingB.breakdown.foodMinor + 2 * 9_000)
            for row in byDay.rows.map(\.figures) + [byDay.totals] {
                #expect(
                    row.paidMinor
                        == row.grossMinor + row.foodMinor - row.discountMinor + row.cgstMinor + row.sgstMinor)
                #expect(row.netMinor == row.paidMinor - row.refundsMinor)
            }
            // One day alone is that day's ledger.
            let only18 = try await r.sales("2026-11-18", "2026-11-18")
            #expect(only18.rows.count == 1 && only18.totals.netMinor == ledger18.payments - ledger18.refunds)
            // Every grouping adds up to the same totals.
            for grouping in ["movie", "show", "screen"] {
                #expect(
                    try await r.sales("2026-11-18", "2026-11-19", by: grouping).totals == byDay.totals, "\(grouping)")
            }
            let byShow = try await r.sales("2026-11-18", "2026-11-19", by: "show")
            let cancelled = try #require(byShow.rows.first { $0.key == second.uuidString })
            #expect(cancelled.figures.netMinor == 0 && cancelled.figures.bookings == 2)
            #expect(cancelled.label.hasPrefix("Test Feature · ") && cancelled.label.hasSuffix("14:00 · Audi 1"))
            #expect(byShow.rows.map(\.key).first == r.f.show.id.uuidString)

            // The month's GST return adds up to the same ledger, and its rows to its totals.
            let month = try await r.ledger(try r.midnight("2026-11-01"), try r.midnight("2026-12-01"))
            let gst = try await r.gst("2026-11")
            #expect(gst.totals.ledgerPaymentsMinor == month.payments && gst.totals.ledgerRefundsMinor == month.refunds)
            let net = GSTFigures(
                taxableValueMinor: gst.totals.taxableValueMinor, cgstMinor: gst.totals.cgstMinor,
                sgstMinor: gst.totals.sgstMinor)
            #expect(net.total == month.payments - month.refunds)
            #expect(gst.totals.sales.total == month.payments && gst.totals.refunds.total == month.refunds)
            #expect(gst.rows.reduce(GSTFigures()) { $0 + $1.net } == net)
            #expect(Set(gst.rows.map(\.supply)) == [.ticket, .food])
        }
    }

    /// B5 (₹90, 6 % + 6 %), F5 (₹180, 9 % + 9 %) and 3 caramel popcorn (₹340, 2.5 % + 2.5 %) with WELCOME10 (the
    /// worked example of `BookingTests`): taxable 8303, 16605 and 94092; CGST = SGST 498, 1494 and 2352; paid 127688.
    /// A refund of ₹100 takes back ⌊line × 10000 / 127688⌋ of each: 650/39/39, 1300/117/117, 7368/184/184 = 9998, and
    /// the 2 paise left from the 9 % ticket slab's taxable value (1302).
    @Test func gstIsPerSlabForTicketsAndFoodNetOfRefundsInProportion() async throws {
        try await withTestApp { t in
            let r = try await ReportFixture.make(t)
            let asha = try await t.customer()
            let (_, payment) = try await r.bookAndPay(
                ["B5", "F5"], asha, foods: [("Caramel Popcorn (Large)", 3)], code: "WELCOME10")
            #expect(payment.amountMinor == 127_688)
            try await r.refund(payment, 10_000)
            let gst = try await r.gst("2026-11")
            func row(_ supply: GSTReportRow.Supply, _ bp: Int) throws -> GSTReportRow {
                try #require(gst.rows.first { $0.supply == supply && $0.cgstRate.basisPoints == bp })
            }
            #expect(gst.rows.count == 3)
            #expect(try row(.ticket, 600).sales == GSTFigures(taxableValueMinor: 8_303, cgstMinor: 498, sgstMinor: 498))
            #expect(try row(.ticket, 600).refunds == GSTFigures(taxableValueMinor: 650, cgstMinor: 39, sgstMinor: 39))
            #expect(
                try row(.ticket, 900).refunds == GSTFigures(taxableValueMinor: 1_302, cgstMinor: 117, sgstMinor: 117))
            #expect(
                try row(.ticket, 900).net == GSTFigures(taxableValueMinor: 15_303, cgstMinor: 1_377, sgstMinor: 1_377))
            #expect(
                try row(.food, 250).sales == GSTFigures(taxableValueMinor: 94_092, cgstMinor: 2_352, sgstMinor: 2_352))
            #expect(try row(.food, 250).refunds == GSTFigures(taxableValueMinor: 7_368, cgstMinor: 184, sgstMinor: 184))
            #expect(try row(.food, 250).sgstRate == Percent(basisPoints: 250))
            #expect(gst.totals.refunds.total == 10_000 && gst.totals.ledgerRefundsMinor == 10_000)
            #expect(gst.totals.taxableValueMinor + gst.totals.cgstMinor + gst.totals.sgstMinor == 117_688)
            // The month before and after hold nothing of it.
            #expect(try await r.gst("2026-10").rows.isEmpty)
            #expect(try await r.gst("2026-12").totals.ledgerPaymentsMinor == 0)

            // The rest of the payment back: every line is back in full, the slab rows net to zero.
            try await r.refund(payment, nil)
            let after = try await r.gst("2026-11")
            #expect(after.rows.allSatisfy { $0.net == GSTFigures() })
            #expect(after.totals.refunds == after.totals.sales)
        }
    }
}

@Suite("Reports: business days in the cinema's zone")
struct SalesDayTests {
    /// In New York, 2026-11-01 is 25 hours long (EDT to EST): 00:30 EDT and 23:30 EST are both its sales, and
    /// 00:30 EST the next morning is the 2nd's. A fixed UTC offset would put the 23:30 sale on the 2nd.
    @Test func salesByDayFollowTheCinemaCalendarAcrossDST() async throws {
        try await withTestApp(configure: { $0.cinemaTimeZone = TimeZone(identifier: "America/New_York")! }) { t in
            var r = try await ReportFixture.make(t)
            let asha = try await t.customer()
            for (instant, seat) in [
                ("2026-11-01T04:30:00Z", "C1"), ("2026-11-02T04:30:00Z", "C2"), ("2026-11-02T05:30:00Z", "C3"),
            ] {
                t.clock.set(try Date(instant, strategy: .iso8601))
                _ = try await r.bookAndPay([seat], try await t.login(asha.email, asha.password))
            }
            r.admin = try await t.login(CinemaBuilder.adminEmail, CinemaBuilder.adminPassword)
            let report = try await r.sales("2026-11-01", "2026-11-02")
            #expect(report.timeZone == "America/New_York")
            #expect(report.rows.map(\.key) == ["2026-11-01", "2026-11-02"])
            #expect(report.rows.map(\.figures.bookings) == [2, 1])
        }
    }
}

@Suite("Reports: access, parameters and formats")
struct ReportRouteTests {
    static let paths = [
        "/reports/sales?from=2026-11-01&to=2026-11-30", "/reports/gst?month=2026-11",
        "/reports/occupancy?date=2026-11-20",
    ]

    @Test func reportsAreForAdminsOnly() async throws {
        try await withTestApp { t in
            let r = try await ReportFixture.make(t)
            let customer = try await t.customer()
            for path in Self.paths {
                let anonymous = try await t.request(.GET, path)
                #expect(anonymous.status == .unauthorized && anonymous.headers.first(name: .wwwAuthenticate) != nil)
                #expect(try await t.request(.GET, path, token: customer.accessToken).status == .forbidden)
                #expect(try await t.request(.GET, path, token: r.admin.accessToken).status == .ok)
            }
        }
    }

    @Test func badParametersAreNamedIn422s() async throws {
        try await withTestApp { t in
            let r = try await ReportFixture.make(t)
            let cases: [(String, String)] = [
                ("/reports/sales?to=2026-11-30", "from"),
                ("/reports/sales?from=2026-11-01", "to"),
                ("/reports/sales?from=2026-02-30&to=2026-03-01", "from"),
                ("/reports/sales?from=20261101&to=2026-11-30", "from"),
                ("/reports/sales?from=1999-12-31&to=2000-01-01", "from"),
                ("/reports/sales?from=2026-11-30&to=2026-11-01", "to"),
                ("/reports/sales?from=2025-11-01&to=2026-11-02", "to"),
                ("/reports/sales?from=2026-11-01&to=2026-11-30&group_by=week", "group_by"),
                ("/reports/sales?from=2026-11-01&to=2026-11-30&format=xml", "format"),
                ("/reports/gst", "month"),
                ("/reports/gst?month=2026-13", "month"),
                ("/reports/gst?month=2026-1", "month"),
                ("/reports/occupancy", "date"),
                ("/reports/occupancy?date=tomorrow", "date"),
            ]
            for (path, field) in cases {
                let response = try await t.request(.GET, path, token: r.admin.accessToken)
                #expect(response.status == .unprocessableEntity, "\(path)")
                #expect(response.problem?.code == "validation_failed", "\(path)")
                #expect(response.problem?.errors?.map(\.field) == [field], "\(path): \(response.body.string)")
            }
            // A leap year's 366 days are one report.
            let leap = try await t.request(
                .GET, "/reports/sales?from=2028-01-01&to=2028-12-31", token: r.admin.accessToken)
            #expect(leap.status == .ok)
            #expect(try leap.content.decode(SalesReportResponse.self).rows.count == 366)
        }
    }

    @Test func salesComeAsCSVWhenAskedForEitherWay() async throws {
        try await withTestApp { t in
            let r = try await ReportFixture.make(t)
            let asha = try await t.customer()
            _ = try await r.bookAndPay(["B5", "F5"], asha, foods: [("Caramel Popcorn (Large)", 3)], code: "WELCOME10")
            let json = try await r.sales("2026-11-17", "2026-11-19")
            let byFormat = try await t.request(
                .GET, "/reports/sales?from=2026-11-17&to=2026-11-19&format=csv", token: r.admin.accessToken)
            let byAccept = try await t.request(
                .GET, "/reports/sales?from=2026-11-17&to=2026-11-19", token: r.admin.accessToken,
                headers: ["Accept": "text/csv"])
            for response in [byFormat, byAccept] {
                #expect(response.status == .ok)
                #expect(response.headers.first(name: .contentType) == "text/csv; charset=utf-8")
                #expect(
                    response.headers.first(name: .contentDisposition)
                        == "attachment; filename=\"sales-2026-11-17-2026-11-19.csv\"")
                #expect(response.body.string == json.csv.text)
            }
            let lines = byFormat.body.string.components(separatedBy: "\r\n").dropLast()
            #expect(
                lines.first
                    == "key,label,bookings,tickets,gross_minor,discount_minor,food_minor,cgst_minor,sgst_minor,"
                    + "paid_minor,refunds_minor,net_minor")
            #expect(lines.count == 1 + 3 + 1)
            #expect(lines[2] == "2026-11-18,2026-11-18,1,2,27000,10000,102000,4344,4344,127688,0,127688")
            #expect(lines.last == "TOTAL,2026-11-17 to 2026-11-19,1,2,27000,10000,102000,4344,4344,127688,0,127688")
            // format=json wins over Accept.
            let explicit = try await t.request(
                .GET, "/reports/sales?from=2026-11-17&to=2026-11-19&format=json", token: r.admin.accessToken,
                headers: ["Accept": "text/csv"])
            #expect(explicit.headers.contentType == .json)
            let gst = try await t.request(.GET, "/reports/gst?month=2026-11&format=csv", token: r.admin.accessToken)
            #expect(gst.headers.first(name: .contentDisposition) == "attachment; filename=\"gst-2026-11.csv\"")
            #expect(gst.body.string.hasPrefix("supply,cgst_rate,sgst_rate,taxable_value_minor,"))
            #expect(gst.body.string.contains("\r\nfood,2.5,2.5,94092,2352,2352,"))
        }
    }

    @Test func csvCellsAreQuotedAndNeverFormulas() {
        var csv = ReportCSV(header: ["label", "n"])
        csv.rows = [[ReportCSV.text("=HYPERLINK(\"x\")"), "-5"], [ReportCSV.text("Dil, \"Chahta\"\nHai"), "7"]]
        #expect(csv.text == "label,n\r\n\"'=HYPERLINK(\"\"x\"\")\",-5\r\n\"Dil, \"\"Chahta\"\"\nHai\",7\r\n")
    }

    /// Each answer against the schema `/openapi.json` documents for it, and the CSV form documented beside the JSON.
    @Test func answersMatchTheDocument() async throws {
        try await withTestApp { t in
            let r = try await ReportFixture.make(t)
            let asha = try await t.customer()
            let (_, payment) = try await r.bookAndPay(["C2", "J3"], asha, foods: [("Masala Chai", 1)])
            try await r.refund(payment, 999)
            let docBody = try await t.request(.GET, "/openapi.json")
            let document = try JSONDecoder().decode(JSONValue.self, from: Data(buffer: docBody.body))
            let conformance = SchemaConformance(document: document)
            var problems: [String] = []
            for (template, query) in [
                ("/reports/sales", "from=2026-11-18&to=2026-11-20&group_by=day"),
                ("/reports/sales", "from=2026-11-18&to=2026-11-20&group_by=show"),
                ("/reports/gst", "month=2026-11"), ("/reports/occupancy", "date=2026-11-20"),
                ("/reports/sales", "from=2026-11-20&to=2026-11-18"),
            ] {
                let response = try await t.request(.GET, "\(template)?\(query)", token: r.admin.accessToken)
                let body = try JSONDecoder().decode(JSONValue.self, from: Data(buffer: response.body))
                problems += conformance.problems(
                    method: "GET", template: template, status: Int(response.status.code), body: body)
                let content = document["paths"]?[template]?["get"]?["responses"]?["200"]?["content"]
                #expect(content?["text/csv"] != nil && content?["application/json"] != nil)
            }
            #expect(problems.isEmpty, "\(problems.joined(separator: "\n"))")
        }
    }
}

@Suite("Reports: occupancy")
struct OccupancyReportTests {
    /// Audi 1 has 120 seats on sale. The 10:00 show sells 3 (two bookings; a pending one is not sold) and admits
    /// the 2 of one booking; a cancelled show of the same day is listed but not counted; the next day's is not listed.
    @Test func occupancyCountsSeatsSoldAndPeopleAdmittedPerShow() async throws {
        try await withTestApp { t in
            let r = try await ReportFixture.make(t)
            let asha = try await t.customer(), ravi = try await t.customer()
            let (admitted, _) = try await r.bookAndPay(["F5", "F6"], asha)
            _ = try await r.bookAndPay(["A3"], ravi)
            _ = try await r.book(["K1"], ravi)
            let evening = try await r.anotherShow(daysAhead: 2, at: "18:00").requireID()
            _ = try await r.anotherShow(daysAhead: 3, at: "10:00")
            let cancel = try await t.request(
                .PUT, "/shows/\(evening)/cancel", json: ["reason": "Print damaged"], token: r.admin.accessToken)
            #expect(cancel.status == .ok)
            try await CheckIn(
                bookingID: admitted.id, showID: r.f.show.id, admits: 2, admittedBy: r.admin.id, at: t.clock.now()
            ).create(on: t.app.db)

            let report = try await r.report(
                "/reports/occupancy?date=\(r.f.show.showDate)", as: OccupancyReportResponse.self)
            #expect(report.rows.map(\.showId) == [r.f.show.id, evening])
            let morning = report.rows[0]
            #expect(
                morning.movieTitle == "Test Feature" && morning.screenName == "Audi 1" && morning.showTime == "10:00")
            #expect(morning.startsAt == r.f.show.startsAt && morning.status == .scheduled)
            #expect(morning.seatsOnSale == 120 && morning.sold == 3 && morning.admitted == 2)
            #expect(morning.occupancyPercent == Percent(basisPoints: 250))
            #expect(report.rows[1].status == .cancelled && report.rows[1].sold == 0)
            #expect(
                report.totals
                    == .init(
                        shows: 1, seatsOnSale: 120, sold: 3, admitted: 2, occupancyPercent: Percent(basisPoints: 250)))
            let csv = try await t.request(
                .GET, "/reports/occupancy?date=\(r.f.show.showDate)&format=csv", token: r.admin.accessToken)
            #expect(csv.body.string.contains(",Test Feature,Audi 1,"))
            #expect(csv.body.string.hasSuffix("TOTAL,1 shows,,,,,120,3,2,2.5\r\n"))
        }
    }

    @Test func occupancyIsRoundedHalfUpToOneDecimal() {
        #expect(Percent.share(2, of: 3) == Percent(basisPoints: 6_670))
        #expect(Percent.share(1, of: 3) == Percent(basisPoints: 3_330))
        #expect(Percent.share(1, of: 8) == Percent(basisPoints: 1_250))
        #expect(Percent.share(1, of: 16) == Percent(basisPoints: 630))
        #expect(Percent.share(0, of: 0) == Percent(basisPoints: 0))
        #expect(Percent.share(120, of: 120) == Percent(basisPoints: 10_000))
    }
}

@Suite("Reports: business days")
struct BusinessDayTests {
    /// New York springs forward on 2026-03-08 and falls back on 2026-11-01: those business days are 23 and 25 hours.
    @Test func businessDaysFollowTheZoneAcrossDST() throws {
        let time = CinemaTime(timeZone: try #require(TimeZone(identifier: "America/New_York")))
        let march = try BusinessDays(from: "2026-03-07", count: 3, time: time)
        #expect(march.days.map(\.date) == ["2026-03-07", "2026-03-08", "2026-03-09"])
        #expect(march.days.map { $0.end.timeIntervalSince($0.start) / 3600 } == [24, 23, 24])
        #expect(march.start == Date(timeIntervalSince1970: 1_772_859_600))  // 2026-03-07T05:00:00Z
        let november = try BusinessDays(from: "2026-11-01", count: 1, time: time)
        #expect(november.end.timeIntervalSince(november.start) == 25 * 3600)
        let kolkata = try BusinessDays(
            from: "2028-02-28", count: 2, time: CinemaTime(timeZone: try #require(TimeZone(identifier: "Asia/Kolkata")))
        )
        #expect(kolkata.days.map(\.date) == ["2028-02-28", "2028-02-29"] && kolkata.last == "2028-02-29")
        #expect(kolkata.start == Date(timeIntervalSince1970: 1_835_289_000))  // 2028-02-27T18:30:00Z
        #expect(ReportCalendar.span(from: "2026-12-31", to: "2027-01-01") == 2)
        #expect(ReportCalendar.month("2028-02")?.days == 29 && ReportCalendar.month("2026-00") == nil)
    }
}
