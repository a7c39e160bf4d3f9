import Foundation
import Testing
import VaporTesting

@testable import BoxOffice

/// The payments fixture (the test cinema's show two days ahead) with what feedback tests need: confirmed bookings,
/// the clock moved past a show's start, and a second movie's show for the filters.
struct FeedbackFixture {
    let pay: PaymentFixture
    var t: TestApp { pay.t }
    var show: ShowResponse { pay.show }

    /// A CONFIRMED booking of `labels` for `account`, booked and paid through the simulator.
    func confirmed(_ labels: [String], _ account: TestApp.Account) async throws -> BookingResponse {
        try await pay.bookAndPay(labels, account).0
    }

    /// Moves the clock to `seconds` after the show's start. Access tokens live an hour, so callers sign in again.
    func afterTheShowStarts(by seconds: TimeInterval = 3_600) {
        t.clock.set(show.startsAt.addingTimeInterval(seconds))
    }

    func signIn(_ account: TestApp.Account) async throws -> TestApp.Account {
        try await t.login(account.email, account.password)
    }

    func admin() async throws -> TestApp.Account {
        try await t.login(CinemaBuilder.adminEmail, CinemaBuilder.adminPassword)
    }

    func post(_ bookingID: UUID, rating: Int = 4, comment: String? = nil, _ account: TestApp.Account?) async throws
        -> TestingHTTPResponse
    {
        try await t.request(
            .POST, "/feedback", json: CreateFeedbackRequest(bookingId: bookingID, rating: rating, comment: comment),
            token: account?.accessToken)
    }

    /// Posts feedback that must be accepted.
    func leave(_ bookingID: UUID, rating: Int = 4, comment: String? = nil, _ account: TestApp.Account) async throws
        -> FeedbackResponse
    {
        let response = try await post(bookingID, rating: rating, comment: comment, account)
        #expect(response.status == .created, "\(response.body.string)")
        return try response.content.decode(FeedbackResponse.self)
    }

    /// Another movie's show on the same screen and day at 14:00, and `account`'s confirmed booking of `label` there.
    func otherShowBooking(_ label: String, _ account: TestApp.Account) async throws -> (
        showID: UUID, movieID: UUID, booking: BookingResponse
    ) {
        let box = t.app.boxOffice
        let movie = try await box.movies.create(
            CreateMovieRequest(
                title: "Second Feature", description: "Another film for tests.", durationMinutes: 100,
                genres: ["Comedy"], languages: ["Hindi"], formats: ["2D"], releaseDate: "2026-11-01", rating: 7,
                certificate: "U", cast: [], crew: [], isActive: true), on: t.app.db)
        let other = try await box.shows.create(
            CreateShowRequest(
                movieId: try movie.requireID(), screenId: show.screen.id, showDate: show.showDate, showTime: "14:00",
                language: "Hindi", format: "2D"), on: t.app.db)
        let showID = try other.requireID()
        let lock = try await pay.booking.hold([label], account, show: showID)
        let response = try await t.request(
            .POST, "/bookings", json: CreateBookingRequest(showId: showID, lockId: lock.lockId, foods: nil),
            token: account.accessToken)
        #expect(response.status == .created, "\(response.body.string)")
        let booking = try response.content.decode(BookingResponse.self)
        let paid = try await pay.simulate(try await pay.startPayment(booking, account), "succeeded", account)
        #expect(paid.status == .ok, "\(paid.body.string)")
        return (showID, try movie.requireID(), booking)
    }

    /// Checks a response body against the schema `/openapi.json` documents for it.
    func expectDocumented(_ response: TestingHTTPResponse, _ method: String, _ template: String) async throws {
        let document = try await t.request(.GET, "/openapi.json")
        let conformance = SchemaConformance(
            document: try JSONDecoder().decode(JSONValue.self, from: Data(buffer: document.body)))
        let body = try JSONDecoder().decode(JSONValue.self, from: Data(buffer: response.body))
        let problems = conformance.problems(
            method: method, template: template, status: Int(response.status.code), body: body)
        #expect(problems.isEmpty, "\(problems.joined(separator: "\n"))")
    }
}

func withFeedbackApp(_ test: (FeedbackFixture) async throws -> Void) async throws {
    try await withPaymentApp { pay in try await test(FeedbackFixture(pay: pay)) }
}
