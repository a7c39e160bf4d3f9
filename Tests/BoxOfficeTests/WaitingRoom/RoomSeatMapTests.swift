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

/// Once every seat is booked the queue says so: places still waiting read `sold_out` (nothing to poll for), on join
/// too, and a socket following one hears it as its last push.
@Suite("Waiting room when sold out")
struct RoomSoldOutTests {
    @Test(arguments: WaitingRoomTests.stores) func waitingPlacesHearTheShowSoldOut(redis: String?) async throws {
        let rooms = WaitingRoomTests()
        try await rooms.withRoomApp(redis: redis) { f, admin in
            let early = try await f.t.customer()
            #expect(try await rooms.setRoom(f, admin, opensIn: 0, onSaleIn: 60, rate: 1).status == .ok)
            let waiting = try await rooms.join(f, early).content.decode(QueueEntryResponse.self)
            #expect(waiting.state == .waiting && waiting.pollAfterSeconds == 60)
            // The room steps aside while the seats are sold by hand (it is not active before it opens).
            #expect(
                try await f.t.request(.DELETE, "/shows/\(f.show.id)/waiting-room", token: admin.accessToken).status
                    == .noContent)
            let labels = f.seats.keys.sorted()
            for chunk in stride(from: 0, to: labels.count, by: 10) {
                let buyer = try await f.t.customer()
                let lock = try await f.hold(Array(labels[chunk..<min(labels.count, chunk + 10)]), buyer)
                #expect(try await f.book(lock.lockId, buyer).status == .created)
            }
            #expect(try await rooms.setRoom(f, admin, opensIn: 0, onSaleIn: 60, rate: 1).status == .ok)
            let late = try await rooms.join(f, try await f.t.customer()).content.decode(QueueEntryResponse.self)
            #expect(late.state == .soldOut && late.pollAfterSeconds == 0 && late.admission == nil)
        }
    }
}
