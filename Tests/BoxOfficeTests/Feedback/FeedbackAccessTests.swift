import Fluent
import Foundation
import Testing
import VaporTesting

@testable import BoxOffice

@Suite("Feedback: who sees it, and replies")
struct FeedbackAccessTests {
    @Test func customersListTheirOwnAndAdminsListAllWithFilters() async throws {
        try await withFeedbackApp { f in
            let asha = try await f.t.customer()
            let ravi = try await f.t.customer()
            let ashaFirst = try await f.confirmed(["E1"], asha)
            let raviFirst = try await f.confirmed(["E2"], ravi)
            let other = try await f.otherShowBooking("E3", asha)
            f.t.clock.set(f.show.startsAt.addingTimeInterval(6 * 3_600))  // after both shows
            let (me, him, admin) = (try await f.signIn(asha), try await f.signIn(ravi), try await f.admin())
            let a = try await f.leave(ashaFirst.id, rating: 5, me)
            f.t.clock.advance(by: 60)
            let r = try await f.leave(raviFirst.id, rating: 2, him)
            f.t.clock.advance(by: 60)
            let o = try await f.leave(other.booking.id, rating: 5, me)

            func ids(_ query: String, _ account: TestApp.Account) async throws -> [UUID] {
                let response = try await f.t.request(.GET, "/feedback\(query)", token: account.accessToken)
                #expect(response.status == .ok, "\(query): \(response.body.string)")
                let page = try response.content.decode(APIPage<FeedbackResponse>.self)
                #expect(page.total == page.items.count)
                return page.items.map(\.id)
            }
            #expect(try await ids("", admin) == [o.id, r.id, a.id])  // newest first
            #expect(try await ids("?rating=5", admin) == [o.id, a.id])
            #expect(try await ids("?movie_id=\(other.movieID)", admin) == [o.id])
            #expect(try await ids("?show_id=\(f.show.id)", admin) == [r.id, a.id])
            #expect(try await ids("?show_id=\(f.show.id)&rating=2", admin) == [r.id])
            #expect(try await ids("", me) == [o.id, a.id])
            #expect(try await ids("?show_id=\(f.show.id)", me) == [a.id])
            #expect(try await ids("?rating=2", me) == [])
            #expect(try await ids("", him) == [r.id])
            let page = try await f.t.request(.GET, "/feedback?limit=1&offset=1", token: admin.accessToken)
            #expect(try page.content.decode(APIPage<FeedbackResponse>.self).items.map(\.id) == [r.id])
            try await f.expectDocumented(page, "GET", "/feedback")
            let bad = try await f.t.request(.GET, "/feedback?rating=7", token: admin.accessToken)
            #expect(bad.status == .unprocessableEntity && bad.problem?.errors?.map(\.field) == ["rating"])
            #expect(try await f.t.request(.GET, "/feedback").status == .unauthorized)
        }
    }

    @Test func oneFeedbackIsVisibleToItsAuthorAndAdminsOnly() async throws {
        try await withFeedbackApp { f in
            let asha = try await f.t.customer()
            let ravi = try await f.t.customer()
            let booking = try await f.confirmed(["F1"], asha)
            f.afterTheShowStarts()
            let (me, him, admin) = (try await f.signIn(asha), try await f.signIn(ravi), try await f.admin())
            let feedback = try await f.leave(booking.id, rating: 3, comment: "Too cold inside.", me)

            let own = try await f.t.request(.GET, "/feedback/\(feedback.id)", token: me.accessToken)
            #expect(own.status == .ok)
            #expect(try own.content.decode(FeedbackResponse.self).comment == "Too cold inside.")
            try await f.expectDocumented(own, "GET", "/feedback/{id}")
            let byAdmin = try await f.t.request(.GET, "/feedback/\(feedback.id)", token: admin.accessToken)
            #expect(byAdmin.status == .ok)
            #expect(try byAdmin.content.decode(FeedbackResponse.self).id == feedback.id)
            for path in ["/feedback/\(feedback.id)", "/feedback/\(UUID())", "/feedback/not-an-id"] {
                let token = path.hasSuffix(feedback.id.uuidString) ? him.accessToken : me.accessToken
                let response = try await f.t.request(.GET, path, token: token)
                #expect(response.status == .notFound && response.problem?.detail == "Feedback was not found.")
            }
        }
    }

    @Test func anAdminsReplyIsStoredAndNotifiesTheAuthor() async throws {
        try await withFeedbackApp { f in
            let asha = try await f.t.customer()
            let booking = try await f.confirmed(["G1"], asha)
            f.afterTheShowStarts()
            let (me, admin) = (try await f.signIn(asha), try await f.admin())
            let feedback = try await f.leave(booking.id, rating: 2, comment: "The popcorn was stale.", me)
            let path = "/feedback/\(feedback.id)/reply"

            let byCustomer = try await f.t.request(.PUT, path, json: ["reply": "Thanks!"], token: me.accessToken)
            #expect(byCustomer.status == .forbidden)
            for reply in ["   ", String(repeating: "z", count: 2_001)] {
                let bad = try await f.t.request(.PUT, path, json: ["reply": reply], token: admin.accessToken)
                #expect(bad.status == .unprocessableEntity && bad.problem?.errors?.map(\.field) == ["reply"])
            }
            let unknown = try await f.t.request(
                .PUT, "/feedback/\(UUID())/reply", json: ["reply": "Hello"], token: admin.accessToken)
            #expect(unknown.status == .notFound)
            #expect(try await OutboxMessage.query(on: f.t.app.db).filter(\.$kind == "feedback_replied").count() == 0)

            f.t.clock.advance(by: 600)
            let replied = try await f.t.request(
                .PUT, path, json: ["reply": "  Sorry about that: the next popcorn is on us.  "],
                token: admin.accessToken)
            #expect(replied.status == .ok, "\(replied.body.string)")
            try await f.expectDocumented(replied, "PUT", "/feedback/{id}/reply")
            let stored = try await f.t.request(.GET, "/feedback/\(feedback.id)", token: me.accessToken).content
                .decode(FeedbackResponse.self)
            #expect(stored.reply == "Sorry about that: the next popcorn is on us.")
            #expect(stored.repliedBy == admin.id && stored.repliedAt == f.t.clock.now())
            #expect(stored.rating == 2 && stored.comment == "The popcorn was stale.")

            // Written to the outbox with the reply and delivered at once, to the feedback's author.
            let messages = try await OutboxMessage.query(on: f.t.app.db).filter(\.$kind == "feedback_replied").all()
            #expect(messages.count == 1 && messages.allSatisfy { $0.deliveredAt != nil })
            let events = f.pay.events.published.filter { $0.kind == .feedbackReplied }
            #expect(events.count == 1)
            let event = try #require(events.first)
            #expect(event.userID == asha.id && event.feedbackID == feedback.id && event.bookingID == booking.id)
            #expect(event.message == "The cinema replied to your feedback on booking \(booking.reference).")
            // The customer's notification, with the feedback it is about.
            let inbox = try await f.t.request(.GET, "/notifications", token: me.accessToken).content.decode(
                NotificationPage.self)
            let notice = try #require(inbox.items.first { $0.type == "feedback_replied" })
            #expect(notice.data.feedbackId == feedback.id && notice.data.bookingId == booking.id)

            // A second reply replaces the first and notifies again.
            let again = try await f.t.request(
                .PUT, path, json: ["reply": "Also: fresh stock now."], token: admin.accessToken)
            #expect(try again.content.decode(FeedbackResponse.self).reply == "Also: fresh stock now.")
            #expect(f.pay.events.published.filter { $0.kind == .feedbackReplied }.count == 2)
        }
    }
}
