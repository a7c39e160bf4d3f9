import Foundation
import Testing
import VaporTesting
@testable import BoxOffice

@Suite("Replacing a layout that has been sold")
struct LayoutReplacementTests {
    @Test func upcomingBookingsBlockItAndPastOnesAreKeptAsHistory() async throws {
        try await withTestApp { t in
            let f = try await BookingFixture.make(t)
            let asha = try await t.customer()
            let booking = try await f.book(try await f.hold(["B3"], asha).lockId, asha).content.decode(
                BookingResponse.self)
            let screenID = f.show.screen.id
            let newLayout = LayoutRequest(rows: [.init(label: "A", category: "Prime", seats: 10)], replace: true)

            let admin = try await t.login("admin@boxoffice.local", "admin-demo-password")
            let blocked = try await t.request(
                .POST, "/screens/\(screenID)/layout", json: newLayout, token: admin.accessToken)
            #expect(blocked.status == .conflict)
            #expect(blocked.problem?.code == "layout_in_use")

            // A week later every show of the demo is over: the grid may change, and the old ticket keeps its seat.
            t.clock.advance(by: 9 * 86_400)
            let later = try await t.login("admin@boxoffice.local", "admin-demo-password")
            let replaced = try await t.request(
                .POST, "/screens/\(screenID)/layout", json: newLayout, token: later.accessToken)
            #expect(replaced.status == .created, "\(replaced.body.string)")
            let screen = try replaced.content.decode(ScreenResponse.self)
            #expect(screen.totalSeats == 10 && screen.capacity == 10)
            let seats = try await t.request(.GET, "/seats?screen_id=\(screenID)&limit=100").content.decode(
                Page<SeatResponse>.self)
            #expect(seats.total == 10)
            let me = try await t.login(asha.email, asha.password)
            let history = try await t.request(.GET, "/bookings/\(booking.id)", token: me.accessToken).content.decode(
                BookingResponse.self)
            #expect(history.seats.map(\.label) == ["B3"])
        }
    }
}
