import Foundation
import Testing
import VaporTesting

@testable import BoxOffice

/// Behind an active waiting room the seat map's holds come from a read shared for half a second (`RoomHoldsCache`),
/// but a buyer's own holds are always fresh: held seats show as theirs at once, and released ones free at once.
@Suite("Seat map behind a waiting room")
struct RoomSeatMapTests {
    @Test(arguments: WaitingRoomTests.stores) func theBuyersOwnHoldsAreFreshOnACachedMap(redis: String?) async throws {
        let rooms = WaitingRoomTests()
        try await rooms.withRoomApp(redis: redis) { f, admin in
            #expect(try await rooms.setRoom(f, admin, opensIn: 0, onSaleIn: 5, rate: 600).status == .ok)
            let asha = try await f.t.customer(), ravi = try await f.t.customer()
            let entry = try await rooms.join(f, asha).content.decode(QueueEntryResponse.self)
            f.t.clock.advance(by: 10)
            let admitted = try await f.t.request(.GET, "/queue/\(entry.entryId)", token: asha.accessToken)
                .content.decode(QueueEntryResponse.self)
            #expect(admitted.state == .admitted)

            func status(_ seat: String, for account: TestApp.Account) async throws -> String? {
                let map = try await f.t.request(.GET, "/shows/\(f.show.id)/availability", token: account.accessToken)
                    .content.decode(AvailabilityResponse.self)
                return map.seats.first { $0.id == f.seats[seat] }?.status
            }
            #expect(try await status("B5", for: ravi) == "available")  // the shared read is made now
            let held = try await rooms.hold(f, "B5", asha, admission: admitted.admission)
            #expect(held.status == .created, "\(held.body.string)")
            #expect(try await status("B5", for: asha) == "held_by_you")  // fresh for the buyer
            let lock = try held.content.decode(SeatLockResponse.self)
            #expect(
                try await f.t.request(.DELETE, "/seatlocks/\(lock.lockId)", token: asha.accessToken).status
                    == .noContent)
            #expect(try await status("B5", for: asha) == "available")
            // Everyone else's map follows within the cache's half second.
            try await Task.sleep(for: .milliseconds(600))
            #expect(try await status("B5", for: ravi) == "available")
        }
    }
}
