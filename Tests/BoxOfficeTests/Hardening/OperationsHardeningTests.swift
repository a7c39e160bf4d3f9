import Fluent
import Foundation
import NIOPosix
import RESP
import TestSupport
import Testing
import VaporTesting
@testable import BoxOffice

/// The gateway in production, idempotency leases, password hashing under load, and dependencies that are down.
@Suite("Hardening: gateway, idempotency, load and outages")
struct OperationsHardeningTests {
    static let productionSecrets = [
        "JWT_SECRET": String(repeating: "s", count: 40), "PAYMENT_WEBHOOK_SECRET": "a-real-webhook-secret",
        "BACKUP_SIGNING_KEY": String(repeating: "b", count: 40),
        "TICKET_SIGNING_KEY": Base64URL.encode(Data(repeating: 7, count: 32)),
    ]

    /// Reported: the simulator was the only gateway and `simulate` confirmed bookings without money in production.
    @Test func productionHasNoSimulatorUnlessItIsAskedFor() throws {
        let production = try AppConfig.load(from: Self.productionSecrets, environment: .production)
        #expect(production.paymentGateway == .none)
        var env = Self.productionSecrets
        env["PAYMENT_GATEWAY"] = "simulator"
        #expect(try AppConfig.load(from: env, environment: .production).paymentGateway == .simulator)
        #expect(try AppConfig.load(from: [:], environment: .development).paymentGateway == .simulator)
        env["PAYMENT_GATEWAY"] = "stripe"
        #expect(throws: ConfigError.self) { try AppConfig.load(from: env, environment: .production) }
    }

    @Test func withoutAGatewaySimulateIsA404AndPaymentsA503() async throws {
        try await withTestApp(configure: { $0.paymentGateway = .none }) { t in
            let f = try await BookingFixture.make(t)
            let asha = try await t.customer()
            let booking = try await f.book(try await f.hold(["C5"], asha).lockId, asha).content.decode(
                BookingResponse.self)
            let start = try await t.request(
                .POST, "/payments", json: CreatePaymentRequest(bookingId: booking.id, method: .upi),
                token: asha.accessToken)
            #expect(start.status == .serviceUnavailable)
            #expect(start.headers.first(name: .retryAfter) != nil)
            let simulate = try await t.request(
                .POST, "/payments/\(UUID())/simulate", json: ["outcome": "succeeded"],
                token: asha.accessToken)
            #expect(simulate.status == .notFound)
            #expect(try await Payment.query(on: t.app.db).count() == 0)
        }
    }

    /// Reported: with TRUSTED_HOSTS set, simulate answered 500 (its internal webhook request had no Host).
    @Test func simulateWorksBehindTrustedHosts() async throws {
        let events = InMemoryEventBus()
        try await withTestApp(configure: { $0.trustedHosts = ["cinema.example"] }, services: { $0.events = events }) {
            t in
            let host: HTTPHeaders = ["Host": "cinema.example"]
            let show = try await CinemaBuilder.build(t, daysAhead: 1, headers: host)
            let asha = TokenAccess(accessToken: try #require(try await t.manyCustomers(1).first))
            let lock = try await t.request(
                .POST, "/seatlocks",
                json: CreateSeatLockRequest(showId: show.id, bestAvailable: .init(count: 1)), token: asha.accessToken,
                headers: host
            )
            .content.decode(SeatLockResponse.self)
            let booking = try await t.request(
                .POST, "/bookings", json: CreateBookingRequest(showId: show.id, lockId: lock.lockId),
                token: asha.accessToken, headers: host
            ).content.decode(BookingResponse.self)
            let payment = try await t.request(
                .POST, "/payments", json: CreatePaymentRequest(bookingId: booking.id, method: .upi),
                token: asha.accessToken, headers: host
            ).content.decode(PaymentResponse.self)
            let paid = try await t.request(
                .POST, "/payments/\(payment.paymentId)/simulate", json: ["outcome": "succeeded"],
                token: asha.accessToken, headers: host)
            #expect(paid.status == .ok, "\(paid.body.string)")
            #expect(try paid.content.decode(PaymentResponse.self).status == .completed)
        }
    }

    /// Reported: a key whose first request died mid-way answered 409 "in progress" for 48 hours.
    @Test func anAbandonedIdempotencyKeyIsTakenOverAfterItsLease() async throws {
        try await withTestApp { t in
            let f = try await BookingFixture.make(t)
            let asha = try await t.customer()
            let lock = try await f.hold(["C7"], asha)
            let body = CreateBookingRequest(showId: f.show.id, lockId: lock.lockId, foods: [], promoCode: nil)
            let bytes = try JSONEncoder.api.encode(body)
            let record = IdempotencyRecord()
            record.userID = asha.id
            record.scope = "POST /bookings"
            record.key = "died-mid-way"
            record.requestHash = SHA256.hash(data: bytes).hex
            record.createdAt = t.clock.now()
            try await record.create(on: t.app.db)
            let raw = String(decoding: bytes, as: UTF8.self)
            let early = try await t.request(
                .POST, "/bookings", token: asha.accessToken,
                headers: ["Idempotency-Key": "died-mid-way"], rawBody: raw)
            #expect(early.problem?.code == "idempotency_in_progress")
            t.clock.advance(by: 61)
            let late = try await t.request(
                .POST, "/bookings", token: asha.accessToken,
                headers: ["Idempotency-Key": "died-mid-way"], rawBody: raw)
            #expect(late.status == .created, "\(late.body.string)")
            let replay = try await t.request(
                .POST, "/bookings", token: asha.accessToken,
                headers: ["Idempotency-Key": "died-mid-way"], rawBody: raw)
            #expect(replay.status == .created && replay.headers.first(name: "Idempotent-Replayed") == "true")
            #expect(try await Booking.query(on: t.app.db).count() == 1)
        }
    }

    /// Reported: 40 signups at once starved SQLite's thread pool; hashing now has a pool and a queue bound of its own.
    @Test func passwordHashingBeyondItsQueueIsA503WithRetryAfter() async throws {
        let pool = NIOThreadPool(numberOfThreads: 1)
        pool.start()
        let hasher = try PasswordHasher(cost: 4, pool: pool, maxPending: 0)
        await #expect {
            _ = try await hasher.hash("correct-horse")
        } throws: { error in
            guard let error = error as? APIError else { return false }
            return error.status == .serviceUnavailable && error.headers.first(name: .retryAfter) != nil
        }
        let roomy = try PasswordHasher(cost: 4, pool: pool, maxPending: 4)
        #expect(try await roomy.verify("correct-horse", against: try await roomy.hash("correct-horse")))
        try await pool.shutdownGracefully()
    }

    /// Reported: Redis down made holds and the seat map 500. Nothing listens on port 1 of loopback.
    @Test func redisDownIsA503WithRetryAfterAndReadsStillWork() async throws {
        try await withTestApp(configure: { $0.redisURL = RedisURL("redis://127.0.0.1:1/0") }) { t in
            let f = try await HoldFixture.make(t)
            let asha = try await t.customer()
            let hold = try await f.hold(["B1"], as: asha)
            #expect(hold.status == .serviceUnavailable, "\(hold.body.string)")
            #expect(hold.headers.first(name: .retryAfter) != nil)
            #expect(hold.problem?.code == "service_unavailable")
            #expect(try await t.request(.GET, "/shows/\(f.show.id)/availability").status == .serviceUnavailable)
            #expect(try await t.request(.GET, "/shows/\(f.show.id)").status == .ok)
            #expect(try await t.request(.GET, "/movies").status == .ok)
        }
    }

    /// Reported: PostgreSQL stopped made every read a 500. Nothing listens on port 1 of loopback.
    @Test func postgresDownIsA503WithRetryAfterAndHealthStillAnswers() async throws {
        let app = try await Application.make(.testing)
        app.logger.logLevel = .critical
        do {
            let config = AppConfig.testing(database: .postgres(url: "postgres://bx:bx@127.0.0.1:1/bx"))
            try await configure(app, config: config, services: AppServices(clock: ManualClock(Date())))
            let tester = try app.testing(method: .inMemory)
            let movies = try await tester.sendRequest(.GET, "/movies")
            #expect(movies.status == .serviceUnavailable, "\(movies.body.string)")
            #expect(movies.headers.first(name: .retryAfter) != nil)
            #expect(try await tester.sendRequest(.GET, "/ready").status == .serviceUnavailable)
            #expect(try await tester.sendRequest(.GET, "/health").status == .ok)
        } catch {
            try? await app.asyncShutdown()
            throw error
        }
        try await app.asyncShutdown()
    }

    @Test func connectionFailuresMapTo503AndOtherErrorsDoNot() {
        let redis = APIError.from(RedisClientError.connectionFailed(host: "127.0.0.1", port: 1, reason: "refused"))
        #expect(redis?.status == .serviceUnavailable && redis?.headers.first(name: .retryAfter) != nil)
        #expect(APIError.from(ConnectionPoolTimeoutError.connectionRequestTimeout)?.status == .serviceUnavailable)
        #expect(APIError.from(CancellationError()) == nil)
    }

    /// Reported: with PostgreSQL frozen, `/ready` never answered.
    @Test func aCheckThatNeverAnswersIsCutAtItsDeadline() async throws {
        await #expect(throws: DeadlineExceeded.self) {
            try await withDeadline(.milliseconds(50)) { try await Task.sleep(for: .seconds(2)) }
        }
        #expect(try await withDeadline(.seconds(5)) { 42 } == 42)
    }
}

/// Just an access token, where a test signs a customer in without HTTP.
private struct TokenAccess {
    var accessToken: String
}
