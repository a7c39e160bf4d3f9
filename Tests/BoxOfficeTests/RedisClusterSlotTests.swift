import Foundation
import RESP
import Testing

@testable import BoxOffice

/// Redis Cluster refuses a command, or a script, whose keys lie in different slots. The hold store and the socket
/// quota keep each script's and each multi-key command's keys in one slot through hash tags; these tests check the
/// slots from the key functions the code uses, without a cluster (the slot function is the RESP client's, itself
/// checked against `CLUSTER KEYSLOT`). What the server runs is checked on a real cluster: CI runs the Redis-backed
/// suites there, where a script touching a key of another slot fails.
@Suite("Redis keys stay in one cluster slot a command")
struct RedisClusterSlotTests {
    /// The layout in words: what a reviewer reads to see which keys share a slot.
    @Test func holdKeysAreNamedUnderTheShowsHashTag() {
        let keys = RedisSeatHoldStore.Keys(prefix: "bx:")
        let show = UUID(uuidString: "00000000-0000-0000-0000-00000000000A")!
        let id = UUID(uuidString: "00000000-0000-0000-0000-00000000000B")!
        let other = UUID(uuidString: "00000000-0000-0000-0000-00000000000C")!
        let tag = "{show:\(show.uuidString)}"
        #expect(keys.hold(show, id) == "bx:hold:\(tag):\(id.uuidString)")
        #expect(keys.seat(show, other) == "bx:seat:\(tag):\(other.uuidString)")
        #expect(keys.showHolds(show) == "bx:holds:\(tag)")
        #expect(keys.expiry(show) == "bx:holds:\(tag):expiry")
        #expect(keys.userAtShow(show, other) == "bx:holds:\(tag):user:\(other.uuidString)")
        #expect(keys.pointer(id) == "bx:holdref:\(id.uuidString)")
        #expect(keys.userHolds(other) == "bx:holds:user:\(other.uuidString)")
        #expect(keys.shows == "bx:holds:shows")
    }

    /// Every script's KEYS, and the keys its Lua builds from the prefixes it is passed, lie in the show's slot.
    @Test(arguments: ["bx:", "bxtest:7F0C2E8A-1B7D-4E1C-9A57-2D1C7A3E9B10:", ""])
    func everyHoldScriptTouchesOneSlot(prefix: String) {
        let keys = RedisSeatHoldStore.Keys(prefix: prefix)
        let shows = [
            UUID(uuidString: "3F2504E0-4F89-11D3-9A0C-0305E82C3301")!,
            UUID(uuidString: "6BA7B810-9DAD-11D1-80B4-00C04FD430C8")!,
        ]
        // Shows spread over the cluster: these two lie in different slots.
        #expect(RedisClusterSlot.slot(of: keys.expiry(shows[0])) != RedisClusterSlot.slot(of: keys.expiry(shows[1])))
        for show in shows {
            let hold = SeatHold(
                id: UUID(), showId: show, userId: UUID(), seatIds: (0..<10).map { _ in UUID() }, createdAt: Date(),
                expiresAt: Date())
            let slot = RedisClusterSlot.slot(of: keys.expiry(show))
            // In-script keys: the place script reads the user's other holds, the sweep names holds and users.
            let built = [keys.holdPrefix(show) + UUID().uuidString, keys.userAtShowPrefix(show) + UUID().uuidString]
            for (script, scriptKeys) in [
                ("place", keys.place(hold) + built), ("release", keys.release(hold)), ("extend", keys.extend(hold)),
                ("sweep", keys.sweep(show) + built),
            ] {
                #expect(Set(scriptKeys.map(RedisClusterSlot.slot(of:))) == [slot], "\(script): \(scriptKeys)")
            }
        }
    }

    @Test(arguments: ["bx:", "bxtest:7F0C2E8A-1B7D-4E1C-9A57-2D1C7A3E9B10:"])
    func everySocketQuotaKeyIsInOneSlot(prefix: String) {
        let keys =
            (0..<50).map { _ in RedisSocketQuota.userKey(prefix: prefix, user: UUID()) }
            + ["192.0.2.1", "2001:db8::1", "203.0.113.7"].map {
                RedisSocketQuota.addressKey(prefix: prefix, address: $0)
            }
        #expect(Set(keys.map(RedisClusterSlot.slot(of:))).count == 1)
        #expect(keys.allSatisfy { $0.hasPrefix("\(prefix)ws:{quota}:") })
    }
}
