import Fluent
import Foundation
import Testing
import VaporTesting

@testable import BoxOffice

/// The payment fixture's show two days ahead at 10:00 (show 1) and a second show of the same film on the same screen
/// at 18:00 that day (show 2), with helpers to exchange between them.
struct ExchangeFixture {
    let f: PaymentFixture
    let show2: UUID
    var t: TestApp { f.t }
    var show1: UUID { f.show.id }

    static func make(_ t: TestApp, events: InMemoryEventBus) async throws -> ExchangeFixture {
        let f = try await PaymentFixture.make(t, events: events)
        let admin = try await t.admin()
        let created = try await t.makeShow(
            admin, movie: f.show.movie.id, screen: f.show.screen.id, date: f.show.showDate, time: "18:00")
        #expect(created.status == .created, "\(created.body.string)")
        return ExchangeFixture(f: f, show2: try created.content.decode(ShowResponse.self).id)
    }

    /// A confirmed, paid booking of `labels` on show 1.
    func paid(_ labels: [String], _ account: TestApp.Account, code: String? = nil) async throws -> BookingResponse {
        try await f.bookAndPay(labels, account, code: code).0
    }

    /// Holds `labels` on `show` (default show 2) and asks to exchange `booking` into them.
    func exchange(
        _ booking: BookingResponse, to labels: [String], on show: UUID? = nil, _ account: TestApp.Account
    ) async throws -> TestingHTTPResponse {
        let lock = try await f.booking.hold(labels, account, show: show ?? show2)
        return try await t.request(
            .POST, "/bookings/\(booking.id)/exchange", json: ["lock_id": lock.lockId.uuidString],
            token: account.accessToken)
    }

    func reload(_ booking: BookingResponse, _ account: TestApp.Account) async throws -> BookingResponse {
        try await t.request(.GET, "/bookings/\(booking.id)", token: account.accessToken).content.decode(
            BookingResponse.self)
    }

    /// Money in equals what confirmed bookings are worth plus the fees of completed exchanges, to the paisa; and no
    /// seat of a show is in two active bookings.
    func expectMoneyBalanced() async throws {
        let db = t.app.db
        // Five queries whatever the number of payments: the 200-exchange test runs this after every exchange, and a
        // query per payment there loaded PostgreSQL enough to slow the rest of the suite past its request deadlines.
        let payments = try await Payment.query(on: db).all()
        let refunds = Dictionary(grouping: try await Refund.query(on: db).all(), by: \.$payment.id)
        for payment in payments {
            let refunded = (refunds[try payment.requireID()] ?? []).reduce(0) { $0 + $1.amountMinor }
            #expect(payment.refundedMinor == refunded && refunded <= payment.amountMinor)
        }
        let paid = payments.filter { $0.status == .completed }.reduce(0) { $0 + $1.amountMinor - $1.refundedMinor }
        let worth = try await Booking.query(on: db).filter(\.$status == .confirmed).all().reduce(0) {
            $0 + $1.totalMinor
        }
        let fees = try await BookingExchange.query(on: db).filter(\.$status == .completed).all()
            .reduce(0) { $0 + $1.feeMinor }
        #expect(paid == worth + fees, "paid \(paid), bookings \(worth), fees \(fees)")
        let active = try await BookingSeat.query(on: db).filter(\.$isActive == true).all()
        #expect(Set(active.map { "\($0.showID)|\($0.$seat.id)" }).count == active.count)
    }
}

func withExchangeApp(
    configure adjust: @escaping (inout AppConfig) -> Void = { _ in }, _ test: (ExchangeFixture) async throws -> Void
) async throws {
    let events = InMemoryEventBus()
    try await withTestApp(
        configure: {
            $0.accessTokenLifetime = 4 * 86_400
            adjust(&$0)
        }, services: { $0.events = events }
    ) { t in
        let fixture = try await ExchangeFixture.make(t, events: events)
        try await test(fixture)
        try await fixture.expectMoneyBalanced()
    }
}
