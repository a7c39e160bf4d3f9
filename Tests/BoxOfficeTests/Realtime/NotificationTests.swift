import Foundation
import Testing
import VaporTesting

@testable import BoxOffice

@Suite("Notifications")
struct NotificationTests {
    /// Stores `count` notifications for the user as the outbox would, one second apart; returns them oldest first.
    private func notify(_ t: TestApp, _ user: UUID, _ count: Int) async throws -> [NotificationResponse] {
        var made: [NotificationResponse] = []
        for index in 0..<count {
            t.clock.advance(by: 1)
            let event = NotificationEvent(
                kind: .bookingConfirmed, userID: user, bookingID: UUID(), message: "Booking \(index) is confirmed.")
            made.append(try #require(try await t.app.boxOffice.notifications.record(event, on: t.app.db)))
        }
        return made
    }

    private func list(_ t: TestApp, _ account: TestApp.Account, _ query: String = "") async throws -> Page<
        NotificationResponse
    > {
        let response = try await t.request(.GET, "/notifications\(query)", token: account.accessToken)
        #expect(response.status == .ok, "\(response.body.string)")
        return try response.content.decode(Page<NotificationResponse>.self)
    }

    @Test func aConfirmedBookingNotifiesItsCustomerOnce() async throws {
        try await withTestApp { t in
            let f = try await PaymentFixture.make(t, events: InMemoryEventBus())
            let asha = try await t.customer(), ravi = try await t.customer()
            let (booking, _) = try await f.bookAndPay(["B5"], asha)
            // A second delivery of every event (as after a lease ran out, or on another instance) adds nothing.
            let messages = try await OutboxMessage.query(on: t.app.db).all()
            for message in messages {
                let event = try JSONDecoder().decode(NotificationEvent.self, from: Data(message.payload.utf8))
                try await t.app.boxOffice.outbox.bus.deliver(event, on: t.app.db)
            }
            let page = try await list(t, asha)
            #expect(page.items.map(\.type) == ["booking_confirmed"])
            #expect(page.items.first?.data.bookingId == booking.id)
            #expect(page.items.first?.title == "Booking confirmed")
            #expect(page.items.first?.isRead == false)
            #expect(try await list(t, ravi).total == 0)
        }
    }

    @Test func listsAreOwnNewestFirstPagedAndFilteredByUnread() async throws {
        try await withTestApp { t in
            let asha = try await t.customer(), ravi = try await t.customer()
            let made = try await notify(t, asha.id, 5)
            _ = try await notify(t, ravi.id, 2)
            let first = try await list(t, asha, "?limit=2")
            #expect(first.total == 5 && first.items.map(\.id) == [made[4].id, made[3].id])
            let read = try await t.request(.POST, "/notifications/\(made[0].id)/read", token: asha.accessToken)
            #expect(read.status == .ok)
            let marked = try read.content.decode(NotificationResponse.self)
            #expect(marked.isRead && marked.readAt == t.clock.now())
            #expect(try await list(t, asha, "?unread_only=true").total == 4)
            #expect(try await t.request(.GET, "/notifications").status == .unauthorized)
        }
    }

    @Test func anotherUsersNotificationIsNotFound() async throws {
        try await withTestApp { t in
            let asha = try await t.customer(), ravi = try await t.customer()
            let made = try await notify(t, asha.id, 1)
            let response = try await t.request(.POST, "/notifications/\(made[0].id)/read", token: ravi.accessToken)
            #expect(response.status == .notFound)
            #expect(try await list(t, asha, "?unread_only=true").total == 1)
            #expect(
                try await t.request(.POST, "/notifications/not-a-uuid/read", token: asha.accessToken).status
                    == .notFound)
        }
    }

    @Test func markAllReadMarksOnlyTheCallersOwn() async throws {
        try await withTestApp { t in
            let asha = try await t.customer(), ravi = try await t.customer()
            _ = try await notify(t, asha.id, 3)
            _ = try await notify(t, ravi.id, 2)
            let response = try await t.request(.POST, "/notifications/mark_all_read", token: asha.accessToken)
            #expect(response.status == .ok)
            #expect(try response.content.decode(MarkReadResponse.self).updated == 3)
            #expect(try await list(t, asha, "?unread_only=true").total == 0)
            #expect(try await list(t, ravi, "?unread_only=true").total == 2)
            let again = try await t.request(.POST, "/notifications/mark_all_read", token: asha.accessToken)
            #expect(try again.content.decode(MarkReadResponse.self).updated == 0)
        }
    }

    /// The seed's `GET /notifications/mark_all_read/{user_id}`: the user themself or an admin; anyone else, and an
    /// admin naming nobody, get a 404.
    @Test func theSeedsMarkAllReadIsForTheOwnerOrAnAdmin() async throws {
        try await withTestApp { t in
            _ = try await t.app.boxOffice.adminBootstrap.ensureAdmin(
                email: CinemaBuilder.adminEmail, password: CinemaBuilder.adminPassword, name: "Admin", on: t.app.db)
            let admin = try await t.login(CinemaBuilder.adminEmail, CinemaBuilder.adminPassword)
            let asha = try await t.customer(), ravi = try await t.customer()
            _ = try await notify(t, asha.id, 2)
            let byRavi = try await t.request(.GET, "/notifications/mark_all_read/\(asha.id)", token: ravi.accessToken)
            #expect(byRavi.status == .notFound)
            #expect(try await list(t, asha, "?unread_only=true").total == 2)
            let byOwner = try await t.request(
                .GET, "/notifications/mark_all_read/\(asha.id)", token: asha.accessToken)
            #expect(try byOwner.content.decode(MarkReadResponse.self).updated == 2)
            _ = try await notify(t, asha.id, 1)
            let byAdmin = try await t.request(
                .GET, "/notifications/mark_all_read/\(asha.id)", token: admin.accessToken)
            #expect(try byAdmin.content.decode(MarkReadResponse.self).updated == 1)
            let nobody = try await t.request(
                .GET, "/notifications/mark_all_read/\(UUID())", token: admin.accessToken)
            #expect(nobody.status == .notFound)
            #expect(try await t.request(.GET, "/notifications/mark_all_read/\(asha.id)").status == .unauthorized)
        }
    }
}
