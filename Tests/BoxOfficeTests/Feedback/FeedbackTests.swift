import Fluent
import Foundation
import Testing
import VaporTesting

@testable import BoxOffice

@Suite("Feedback")
struct FeedbackTests {
    @Test func aCustomerRatesAShowTheySaw() async throws {
        try await withFeedbackApp { f in
            let asha = try await f.t.customer()
            let booking = try await f.confirmed(["E5"], asha)
            let blank = try await f.confirmed(["E6"], asha)
            f.afterTheShowStarts()
            let me = try await f.signIn(asha)

            let response = try await f.post(booking.id, rating: 5, comment: "  Great sound, clean seats.\n", me)
            #expect(response.status == .created, "\(response.body.string)")
            let feedback = try response.content.decode(FeedbackResponse.self)
            #expect(feedback.bookingId == booking.id && feedback.userId == asha.id)
            #expect(feedback.showId == f.show.id && feedback.movieId == f.show.movie.id)
            #expect(feedback.rating == 5 && feedback.comment == "Great sound, clean seats.")
            #expect(feedback.reply == nil && feedback.repliedAt == nil && feedback.repliedBy == nil)
            #expect(feedback.createdAt == f.t.clock.now())
            try await f.expectDocumented(response, "POST", "/feedback")
            // A blank comment is no comment.
            #expect(try await f.leave(blank.id, rating: 3, comment: "   ", me).comment == nil)
        }
    }

    @Test func onlyTheOwnerOfAConfirmedBookingOfAStartedShowMayRateIt() async throws {
        try await withFeedbackApp { f in
            let asha = try await f.t.customer()
            let ravi = try await f.t.customer()
            let booking = try await f.confirmed(["F5"], asha)
            let pending = try await f.pay.book(["F6"], asha)

            let early = try await f.post(booking.id, asha)
            #expect(early.status == .conflict && early.problem?.code == "show_not_started")
            f.afterTheShowStarts(by: 1)
            let (me, other, admin) = (try await f.signIn(asha), try await f.signIn(ravi), try await f.admin())
            let unpaid = try await f.post(pending.id, me)
            #expect(unpaid.status == .conflict && unpaid.problem?.code == "booking_not_confirmed")
            // Someone else's booking, even for an admin, and an unknown one are both "no such booking".
            for (id, account) in [(booking.id, other), (booking.id, admin), (UUID(), me)] {
                let response = try await f.post(id, account)
                #expect(response.status == .notFound && response.problem?.detail == "Booking was not found.")
            }
            let anonymous = try await f.post(booking.id, nil)
            #expect(anonymous.status == .unauthorized)
            #expect(try await Feedback.query(on: f.t.app.db).count() == 0)
            #expect(try await f.post(booking.id, me).status == .created)
        }
    }

    @Test func oneFeedbackPerBooking() async throws {
        try await withFeedbackApp { f in
            let asha = try await f.t.customer()
            let booking = try await f.confirmed(["G5"], asha)
            f.afterTheShowStarts()
            let me = try await f.signIn(asha)
            let first = try await f.leave(booking.id, rating: 4, me)
            let second = try await f.post(booking.id, rating: 1, me)
            #expect(second.status == .conflict && second.problem?.code == "feedback_exists")
            try await f.expectDocumented(second, "POST", "/feedback")
            // The database refuses a second row on its own, and the service recognises that refusal.
            let copy = try #require(try await Feedback.find(first.id, on: f.t.app.db))
            let duplicate = Feedback()
            duplicate.$booking.id = copy.$booking.id
            duplicate.$user.id = copy.$user.id
            duplicate.$show.id = copy.$show.id
            duplicate.$movie.id = copy.$movie.id
            duplicate.rating = 2
            duplicate.createdAt = copy.createdAt
            duplicate.updatedAt = copy.updatedAt
            let error = await #expect(throws: (any Error).self) { try await duplicate.create(on: f.t.app.db) }
            #expect(error.map(FeedbackService.isOnePerBooking) == true, "\(String(describing: error))")
            #expect(try await Feedback.query(on: f.t.app.db).all().map(\.rating) == [4])
        }
    }

    @Test func racingRequestsForOneBookingLeaveOneFeedback() async throws {
        try await withFeedbackApp { f in
            let asha = try await f.t.customer()
            let booking = try await f.confirmed(["H5"], asha)
            f.afterTheShowStarts()
            let me = try await f.signIn(asha)
            let statuses = try await withThrowingTaskGroup(of: HTTPStatus.self) { group in
                for rating in 1...8 {
                    group.addTask { try await f.post(booking.id, rating: (rating % 5) + 1, me).status }
                }
                return try await group.reduce(into: [HTTPStatus]()) { $0.append($1) }
            }
            #expect(statuses.filter { $0 == .created }.count == 1, "\(statuses)")
            #expect(statuses.filter { $0 == .conflict }.count == 7, "\(statuses)")
            #expect(try await Feedback.query(on: f.t.app.db).count() == 1)
        }
    }

    @Test func ratingsOutsideOneToFiveAndLongCommentsAreRefused() async throws {
        try await withFeedbackApp { f in
            let asha = try await f.t.customer()
            let booking = try await f.confirmed(["J5"], asha)
            f.afterTheShowStarts()
            let me = try await f.signIn(asha)
            for rating in [0, 6, -1] {
                let response = try await f.post(booking.id, rating: rating, me)
                #expect(response.status == .unprocessableEntity)
                #expect(response.problem?.errors?.map(\.field) == ["rating"])
            }
            for body in [#"{"booking_id":"\#(booking.id)","rating":4.5}"#, #"{"booking_id":"\#(booking.id)"}"#] {
                let response = try await f.t.request(.POST, "/feedback", token: me.accessToken, rawBody: body)
                #expect(response.status == .unprocessableEntity, "\(body): \(response.body.string)")
                #expect(response.problem?.errors?.map(\.field) == ["rating"])
            }
            let long = try await f.post(booking.id, comment: String(repeating: "x", count: 2_001), me)
            #expect(long.status == .unprocessableEntity)
            #expect(long.problem?.errors?.map(\.field) == ["comment"])
            #expect(try await Feedback.query(on: f.t.app.db).count() == 0)
            let longest = try await f.leave(booking.id, comment: " " + String(repeating: "y", count: 2_000) + " ", me)
            #expect(longest.comment?.count == 2_000)
        }
    }
}
