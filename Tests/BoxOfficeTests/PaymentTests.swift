import Fluent
import Foundation
import Rules
import Testing
import VaporTesting
@testable import BoxOffice

/// The test cinema's show two days ahead (so 24 h refund windows lie in the future) and helpers to book and pay.
struct PaymentFixture {
    let t: TestApp
    let booking: BookingFixture
    let show: ShowResponse
    let events: InMemoryEventBus

    static func make(_ t: TestApp, events: InMemoryEventBus) async throws -> PaymentFixture {
        let booking = try await BookingFixture.make(t, daysAhead: 2)
        return PaymentFixture(t: t, booking: booking, show: booking.show, events: events)
    }

    /// Holds and books the seats; returns the PENDING booking.
    func book(_ labels: [String], _ account: TestApp.Account, code: String? = nil) async throws -> BookingResponse {
        let lock = try await booking.hold(labels, account)
        let response = try await booking.book(lock.lockId, account, code: code)
        #expect(response.status == .created, "\(response.body.string)")
        return try response.content.decode(BookingResponse.self)
    }

    func startPayment(_ booking: BookingResponse, _ account: TestApp.Account) async throws -> PaymentResponse {
        let response = try await t.request(
            .POST, "/payments", json: CreatePaymentRequest(bookingId: booking.id, method: .upi),
            token: account.accessToken)
        #expect(response.status == .created, "\(response.body.string)")
        return try response.content.decode(PaymentResponse.self)
    }

    func simulate(_ payment: PaymentResponse, _ outcome: String, _ account: TestApp.Account) async throws
        -> TestingHTTPResponse
    {
        try await t.request(
            .POST, "/payments/\(payment.paymentId)/simulate", json: ["outcome": outcome], token: account.accessToken)
    }

    /// Books and pays through the simulator: a CONFIRMED booking and its COMPLETED payment.
    func bookAndPay(_ labels: [String], _ account: TestApp.Account, code: String? = nil) async throws -> (
        BookingResponse, PaymentResponse
    ) {
        let booking = try await book(labels, account, code: code)
        let payment = try await startPayment(booking, account)
        let paid = try await simulate(payment, "succeeded", account)
        #expect(paid.status == .ok, "\(paid.body.string)")
        return (booking, try paid.content.decode(PaymentResponse.self))
    }

    /// A webhook as the gateway would send it, signed at `at` (default now) with the configured secret.
    func deliver(_ event: GatewayEvent, at: Date? = nil, secret: String? = nil, signature: String? = nil) async throws
        -> TestingHTTPResponse
    {
        let body = try JSONEncoder.api.encode(event)
        let signer = WebhookSignature(secret: secret ?? t.config.paymentWebhookSecret)
        let header = signature ?? signer.sign(body, at: at ?? t.clock.now())
        return try await t.request(
            .POST, "/payments/webhook", headers: header.isEmpty ? [:] : [WebhookSignature.header: header],
            rawBody: String(decoding: body, as: UTF8.self))
    }

    func event(_ type: String, _ payment: Payment, amount: Int? = nil, id: String = "evt_\(UUID().uuidString)")
        -> GatewayEvent
    {
        GatewayEvent(
            id: id, type: type,
            data: .init(
                gatewayPaymentId: payment.gatewayPaymentID,
                amountMinor: amount ?? payment.amountMinor, currency: payment.currency, failureReason: nil))
    }

    func payment(_ id: UUID) async throws -> Payment { try #require(try await Payment.find(id, on: t.app.db)) }

    func status(of booking: BookingResponse) async throws -> BookingStatus {
        try #require(try await Booking.find(booking.id, on: t.app.db)).status
    }

    /// The ledger rule: every payment's refunded total is the sum of its refunds, never more than was paid.
    func expectLedgerBalanced() async throws {
        for payment in try await Payment.query(on: t.app.db).all() {
            let refunds = try await Refund.query(on: t.app.db).filter(\.$payment.$id == payment.requireID()).all()
            #expect(payment.refundedMinor == refunds.reduce(0) { $0 + $1.amountMinor })
            #expect(payment.refundedMinor <= payment.amountMinor)
        }
    }
}

func withPaymentApp(_ test: (PaymentFixture) async throws -> Void) async throws {
    let events = InMemoryEventBus()
    try await withTestApp(services: { $0.events = events }) { t in
        let fixture = try await PaymentFixture.make(t, events: events)
        try await test(fixture)
        try await fixture.expectLedgerBalanced()
    }
}

@Suite("Payments")
struct PaymentTests {
    @Test func holdBookPayConfirmsThroughTheSignedWebhook() async throws {
        try await withPaymentApp { f in
            let asha = try await f.t.customer()
            let booking = try await f.book(["C5", "F5", "J5"], asha, code: "WELCOME10")
            let payment = try await f.startPayment(booking, asha)
            #expect(
                payment.status == .pending && payment.amountMinor == booking.breakdown.totalMinor
                    && payment.gateway == "simulator")
            #expect(payment.checkout?["simulate_url"] != nil)
            let again = try await f.t.request(
                .POST, "/payments", json: CreatePaymentRequest(bookingId: booking.id, method: .card),
                token: asha.accessToken)
            #expect(again.status == .ok)
            #expect(try again.content.decode(PaymentResponse.self).paymentId == payment.paymentId)

            f.t.clock.advance(by: 1)  // log entries are ordered by time
            let paid = try await f.simulate(payment, "succeeded", asha)
            #expect(try paid.content.decode(PaymentResponse.self).status == .completed)
            #expect(try await f.status(of: booking) == .confirmed)
            let logs = try await f.t.request(.GET, "/bookings/\(booking.id)/logs", token: asha.accessToken).content
                .decode(BookingLogList.self)
            #expect(logs.items.map(\.to) == [.pending, .confirmed] && logs.items.last?.actor == .payment)
            let redemptions = try await DiscountRedemption.query(on: f.t.app.db).count()
            #expect(redemptions == 1)
            #expect(
                try await Discount.query(on: f.t.app.db).filter(\.$promoCode == "WELCOME10").first()?.timesUsed == 1)
            #expect(f.events.published.contains { $0.kind == .bookingConfirmed && $0.userID == asha.id })
            let map = try await f.t.request(.GET, "/shows/\(f.show.id)/availability").content.decode(
                AvailabilityResponse.self)
            #expect(map.counts["booked"] == 3)
        }
    }

    @Test func badMissingAndStaleSignaturesChangeNothing() async throws {
        try await withPaymentApp { f in
            let asha = try await f.t.customer()
            let payment = try await f.payment(try await f.startPayment(try await f.book(["C6"], asha), asha).paymentId)
            let event = f.event("payment.succeeded", payment)
            #expect(try await f.deliver(event, signature: "").problem?.code == "signature_missing")
            #expect(try await f.deliver(event, secret: "not-the-secret").status == .unauthorized)
            #expect(try await f.deliver(event, signature: "t=1,v1=zz").problem?.code == "signature_expired")
            let stale = try await f.deliver(event, at: f.t.clock.now().addingTimeInterval(-301))
            #expect(stale.problem?.code == "signature_expired")
            #expect(try await f.payment(payment.requireID()).status == .pending)
            #expect(try await f.deliver(event).status == .ok)
            #expect(try await f.payment(payment.requireID()).status == .completed)
        }
    }

    @Test func theSameWebhookFiveTimesAtOnceAppliesOnce() async throws {
        try await withPaymentApp { f in
            let asha = try await f.t.customer()
            let booking = try await f.book(["C7"], asha)
            let payment = try await f.payment(try await f.startPayment(booking, asha).paymentId)
            let event = f.event("payment.succeeded", payment, id: "evt_same")
            let acks = try await withThrowingTaskGroup(of: WebhookAck?.self) { group in
                for _ in 0..<5 { group.addTask { try? await f.deliver(event).content.decode(WebhookAck.self) } }
                return try await group.reduce(into: [WebhookAck?]()) { $0.append($1) }
            }
            #expect(acks.compactMap { $0 }.filter { !$0.duplicate }.count == 1)
            let confirmations = try await BookingStatusLog.query(on: f.t.app.db)
                .filter(\.$booking.$id == booking.id).filter(\.$toStatus == .confirmed).count()
            #expect(confirmations == 1)
        }
    }

    @Test func failedAfterSucceededStaysCompletedAndAmountMustMatch() async throws {
        try await withPaymentApp { f in
            let asha = try await f.t.customer()
            let booking = try await f.book(["C8"], asha)
            let payment = try await f.payment(try await f.startPayment(booking, asha).paymentId)
            let mismatch = try await f.deliver(f.event("payment.succeeded", payment, amount: payment.amountMinor - 1))
            #expect(mismatch.status == .unprocessableEntity)
            #expect(try await f.payment(payment.requireID()).status == .pending)
            #expect(try await f.deliver(f.event("payment.succeeded", payment)).status == .ok)
            #expect(try await f.deliver(f.event("payment.failed", payment)).status == .ok)
            #expect(try await f.payment(payment.requireID()).status == .completed)
            #expect(try await f.status(of: booking) == .confirmed)
        }
    }

    @Test func aFailedPaymentLeavesTheBookingPendingToRetry() async throws {
        try await withPaymentApp { f in
            let asha = try await f.t.customer()
            let booking = try await f.book(["C9"], asha)
            let first = try await f.startPayment(booking, asha)
            #expect(try await f.simulate(first, "failed", asha).content.decode(PaymentResponse.self).status == .failed)
            #expect(try await f.status(of: booking) == .pending)
            let retry = try await f.startPayment(booking, asha)
            #expect(retry.paymentId != first.paymentId)
            #expect(try await f.simulate(retry, "succeeded", asha).status == .ok)
            #expect(try await f.status(of: booking) == .confirmed)
        }
    }

    @Test func latePaymentIsReSeatedWhenTheSeatsAreStillFree() async throws {
        try await withPaymentApp { f in
            let asha = try await f.t.customer()
            let booking = try await f.book(["D5", "D6"], asha)
            let payment = try await f.payment(try await f.startPayment(booking, asha).paymentId)
            f.t.clock.advance(by: 901)
            _ = try await BookingLifecycle(clock: f.t.clock).expireOverdue(on: f.t.app.db)
            #expect(try await f.status(of: booking) == .expired)
            #expect(try await f.deliver(f.event("payment.succeeded", payment)).status == .ok)
            #expect(try await f.status(of: booking) == .confirmed)
            #expect(try await f.payment(payment.requireID()).refundedMinor == 0)
            let active = try await BookingSeat.query(on: f.t.app.db).filter(\.$booking.$id == booking.id)
                .filter(\.$isActive == true).count()
            #expect(active == 2)
        }
    }

    @Test func latePaymentIsRefundedInFullWhenTheSeatsWereTaken() async throws {
        try await withPaymentApp { f in
            let asha = try await f.t.customer()
            let booking = try await f.book(["D7"], asha)
            let payment = try await f.payment(try await f.startPayment(booking, asha).paymentId)
            f.t.clock.advance(by: 901)
            let ravi = try await f.t.customer()
            _ = try await f.bookAndPay(["D7"], ravi)
            #expect(try await f.status(of: booking) == .expired)
            #expect(try await f.deliver(f.event("payment.succeeded", payment)).status == .ok)
            let refunded = try await f.payment(payment.requireID())
            #expect(refunded.status == .completed && refunded.refundedMinor == refunded.amountMinor)
            #expect(try await f.status(of: booking) == .expired)
            #expect(f.events.published.contains { $0.kind == .bookingRefunded && $0.userID == asha.id })
        }
    }

    @Test func anotherUsersPaymentIsA404AndCompletedPaymentsStay() async throws {
        try await withPaymentApp { f in
            let asha = try await f.t.customer(), ravi = try await f.t.customer()
            let (_, paid) = try await f.bookAndPay(["E5"], asha)
            #expect(
                try await f.t.request(.GET, "/payments/\(paid.paymentId)", token: ravi.accessToken).status == .notFound)
            #expect(try await f.simulate(paid, "succeeded", ravi).status == .notFound)
            #expect(
                try await f.t.request(.GET, "/payments", token: ravi.accessToken).content.decode(
                    APIPage<PaymentResponse>.self
                ).total == 0)
            let admin = try await f.t.login("admin@boxoffice.local", "admin-demo-password")
            #expect(
                try await f.t.request(.DELETE, "/payments/\(paid.paymentId)", token: admin.accessToken).status
                    == .conflict)
            let open = try await f.startPayment(try await f.book(["E6"], asha), asha)
            #expect(
                try await f.t.request(.DELETE, "/payments/\(open.paymentId)", token: ravi.accessToken).status
                    == .forbidden)
            #expect(
                try await f.t.request(.DELETE, "/payments/\(open.paymentId)", token: admin.accessToken).status
                    == .noContent)
        }
    }
}
