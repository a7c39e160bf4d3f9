import Fluent
import Foundation
import SQLKit
import Testing
import VaporTesting

@testable import BoxOffice

/// The payment fixture's cinema, an admin to read reports, and the ledger read straight from the tables.
struct ReportFixture {
    let f: PaymentFixture
    var admin: TestApp.Account

    var t: TestApp { f.t }

    static func make(_ t: TestApp) async throws -> ReportFixture {
        let f = try await PaymentFixture.make(t, events: InMemoryEventBus())
        return ReportFixture(f: f, admin: try await t.login(CinemaBuilder.adminEmail, CinemaBuilder.adminPassword))
    }

    /// The instant local midnight of `date` begins, in the configured cinema zone.
    func midnight(_ date: String) throws -> Date {
        try #require(CinemaTime(timeZone: t.config.cinemaTimeZone).instant(date: date, minutes: 0))
    }

    /// An instant in cinema time: `date` at `HH:mm`.
    func at(_ date: String, _ time: String) throws -> Date {
        try #require(
            CinemaTime(timeZone: t.config.cinemaTimeZone).instant(date: date, minutes: LocalTime.minutes(time) ?? 0))
    }

    /// Completed payments and completed refunds with their completion in `[from, to)`, summed by the database.
    func ledger(_ from: Date, _ to: Date) async throws -> (payments: Int, refunds: Int) {
        struct Total: Decodable { var total: Int }
        let sql = try t.app.db.sql()
        let payments = try await sql.raw(
            """
            SELECT CAST(COALESCE(SUM(amount_minor), 0) AS BIGINT) AS total FROM payments
            WHERE status = 'COMPLETED' AND completed_at >= \(bind: from) AND completed_at < \(bind: to)
            """
        ).first(decoding: Total.self)
        let refunds = try await sql.raw(
            """
            SELECT CAST(COALESCE(SUM(amount_minor), 0) AS BIGINT) AS total FROM refunds
            WHERE status = 'COMPLETED' AND completed_at >= \(bind: from) AND completed_at < \(bind: to)
            """
        ).first(decoding: Total.self)
        return (payments?.total ?? 0, refunds?.total ?? 0)
    }

    /// `GET path` as the admin, expecting 200 JSON of `T`.
    func report<T: Decodable>(_ path: String, as type: T.Type) async throws -> T {
        let response = try await t.request(.GET, path, token: admin.accessToken)
        #expect(response.status == .ok, "\(path): \(response.body.string)")
        return try JSONDecoder.api.decode(T.self, from: Data(buffer: response.body))
    }

    func sales(_ from: String, _ to: String, by grouping: String = "day") async throws -> SalesReportResponse {
        try await report("/reports/sales?from=\(from)&to=\(to)&group_by=\(grouping)", as: SalesReportResponse.self)
    }

    func gst(_ month: String) async throws -> GSTReportResponse {
        try await report("/reports/gst?month=\(month)", as: GSTReportResponse.self)
    }

    /// Holds, books (with food and a promo code) and pays through the simulator.
    func bookAndPay(
        _ labels: [String], _ account: TestApp.Account, foods: [(String, Int)] = [], code: String? = nil,
        show: UUID? = nil
    ) async throws -> (BookingResponse, PaymentResponse) {
        let booking = try await book(labels, account, foods: foods, code: code, show: show)
        let payment = try await f.startPayment(booking, account)
        let paid = try await f.simulate(payment, "succeeded", account)
        #expect(paid.status == .ok, "\(paid.body.string)")
        return (booking, try paid.content.decode(PaymentResponse.self))
    }

    func book(
        _ labels: [String], _ account: TestApp.Account, foods: [(String, Int)] = [], code: String? = nil,
        show: UUID? = nil
    ) async throws -> BookingResponse {
        let lock = try await f.booking.hold(labels, account, show: show)
        let body = CreateBookingRequest(
            showId: show ?? f.show.id, lockId: lock.lockId,
            foods: foods.map { .init(foodId: f.booking.food[$0.0]!, quantity: $0.1) }, promoCode: code)
        let response = try await t.request(.POST, "/bookings", json: body, token: account.accessToken)
        #expect(response.status == .created, "\(response.body.string)")
        return try response.content.decode(BookingResponse.self)
    }

    /// Another show of the test movie on the test screen, `daysAhead` days after the clock's today.
    func anotherShow(daysAhead: Int, at time: String) async throws -> Show {
        let box = t.app.boxOffice
        let date = box.shows.time.localDate(t.clock.now().addingTimeInterval(TimeInterval(daysAhead * 86_400)))
        return try await box.shows.create(
            CreateShowRequest(
                movieId: f.show.movie.id, screenId: f.show.screen.id, showDate: date, showTime: time,
                language: "Hindi", format: "2D"), on: t.app.db)
    }

    func refund(_ payment: PaymentResponse, _ amount: Int?) async throws {
        let response = try await t.request(
            .POST, "/payments/\(payment.paymentId)/refund",
            json: RefundRequest(amountMinor: amount, reason: "Goodwill"), token: admin.accessToken)
        #expect(response.status == .created, "\(response.body.string)")
    }
}
