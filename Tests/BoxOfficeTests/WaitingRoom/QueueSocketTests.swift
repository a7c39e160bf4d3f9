import Foundation
import Testing
import VaporTesting

@testable import BoxOffice

/// A queue place followed over the live socket (`follow_queue`): pushed at once, pushed again when the room admits
/// it (with the admission), and only for the socket's own account.
@Suite("Waiting room over the socket")
struct QueueSocketTests {
    @Test(arguments: WaitingRoomTests.stores) func aFollowedPlaceIsPushedUntilAdmitted(redis: String?) async throws {
        let rooms = WaitingRoomTests()
        try await rooms.withRoomApp(redis: redis) { f, admin in
            #expect(try await rooms.setRoom(f, admin, opensIn: 0, onSaleIn: 3, rate: 60).status == .ok)
            let asha = try await f.t.customer(), ravi = try await f.t.customer()
            let entry = try await rooms.join(f, asha).content.decode(QueueEntryResponse.self)
            try await f.t.listening { port in
                let mine = try await TestSocket.connect(port: port, token: asha.accessToken, on: f.t.app.eventLoopGroup)
                let other = try await TestSocket.connect(
                    port: port, token: ravi.accessToken, on: f.t.app.eventLoopGroup)

                // Someone else's entry is not found, as over HTTP; a follow without an entry id is a bad message.
                try await other.send(["type": "follow_queue", "entry_id": entry.entryId.uuidString])
                let refused = try await other.next("error", within: 15)
                #expect(refused?["code"]?.string == "not_found")
                #expect(refused?["entry_id"]?.string == entry.entryId.uuidString)
                try await other.send(["type": "follow_queue"])
                #expect(try await other.next("error", within: 15)?["code"]?.string == "bad_message")

                try await mine.send(["type": "follow_queue", "entry_id": entry.entryId.uuidString])
                let waiting = try await mine.next("queue", within: 15)
                #expect(waiting?["entry"]?["state"]?.string == "waiting")
                #expect(waiting?["entry"]?["position"] == .int(1))
                #expect(waiting?["entry"]?["admission"] == nil)

                // The sale opens: the next push (at the estimated admission, 3 s on) admits, with the admission.
                f.t.clock.advance(by: 10)
                let admitted = try await mine.next("queue", within: 20) { $0["entry"]?["state"]?.string == "admitted" }
                let admission = try #require(admitted?["entry"]?["admission"]?.string)
                let held = try await rooms.hold(f, "B5", asha, admission: admission)
                #expect(held.status == .created, "\(held.body.string)")

                // Admitted is the last push; unfollow is answered.
                try await Task.sleep(for: .milliseconds(1500))
                #expect(!mine.messages.contains { $0["type"]?.string == "queue" })
                try await mine.send(["type": "unfollow_queue"])
                #expect(try await mine.next("unfollowed_queue", within: 15) != nil)
                #expect(!other.messages.contains { $0["type"]?.string == "queue" })
                await mine.close()
                await other.close()
            }
        }
    }
}
