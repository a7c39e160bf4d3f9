import Foundation
import NIOConcurrencyHelpers
import NIOCore
import NIOPosix
import RESP
import Testing
import TestSupport
import VaporTesting

@testable import BoxOffice

/// Redis Cluster refuses a command, or a script, whose keys lie in different slots. The hold store and the socket
/// quota keep each script's and each multi-key command's keys in one slot through hash tags; these tests check the
/// slots without a cluster (the slot function is the RESP client's, itself checked against `CLUSTER KEYSLOT`): from the
/// key functions the code uses, and from what a real server runs (`MONITOR`).
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

    /// What a server runs for the hold store and the socket quota, recorded with `MONITOR`: every command the app
    /// sends names keys of one slot, and every script's own commands stay in the slot of its KEYS. This catches a
    /// key built in Lua or a multi-key command that the key functions alone would not show.
    @Test(.enabled(if: RedisTestServer.url != nil, "needs TEST_REDIS_URL"))
    func whatTheServerRunsStaysInOneSlotACommand() async throws {
        let configuration = try RedisTestServer.configuration()
        let redis = RedisClient(configuration: configuration)
        let prefix = "bxtest:\(UUID().uuidString):"
        let monitor = try await RedisMonitor.start(configuration)
        do {
            try await exerciseHoldStore(redis: redis, prefix: prefix)
            try await exerciseSocketQuota(redis: redis, prefix: prefix)
            let lines = try await monitor.stop(after: redis)
            try await checkSlots(lines.map(MonitorLine.init), prefix: prefix, redis: redis)
        } catch {
            _ = try? await monitor.stop(after: redis)
            await redis.shutdown()
            throw error
        }
        await redis.shutdown()
    }

    /// Every store operation, on two shows, including refusals, expiry and a sweep that empties a show.
    private func exerciseHoldStore(redis: RedisClient, prefix: String) async throws {
        let clock = ManualClock()
        let store = RedisSeatHoldStore(redis: redis, clock: clock, prefix: prefix)
        let (asha, ravi) = (UUID(), UUID())
        let (early, late) = (UUID(), UUID())
        let seats = (0..<6).map { _ in UUID() }
        func hold(_ user: UUID, _ show: UUID, _ seats: ArraySlice<UUID>, ttl: TimeInterval) -> SeatHold {
            SeatHold(
                id: UUID(), showId: show, userId: user, seatIds: Array(seats), createdAt: clock.now(),
                expiresAt: clock.now().addingTimeInterval(ttl))
        }
        let kept = hold(asha, early, seats[0..<2], ttl: 60)
        #expect(try await store.place(kept, limit: 10) == .held(kept))
        #expect(
            try await store.place(hold(ravi, early, seats[1..<3], ttl: 60), limit: 10)
                == .unavailable(seatIds: [seats[1]]))
        #expect(try await store.place(hold(asha, early, seats[2..<4], ttl: 60), limit: 3) == .overLimit(held: 2))
        let brief = hold(asha, late, seats[0..<3], ttl: 60)
        #expect(try await store.place(brief, limit: 10) == .held(brief))
        #expect(try await store.hold(kept.id) == kept)
        #expect(try await store.holds(forShow: early).map(\.id) == [kept.id])
        #expect(Set(try await store.holds(forUser: asha).map(\.id)) == [kept.id, brief.id])
        #expect(Set(try await store.holds(forUser: nil).map(\.id)) == [kept.id, brief.id])
        #expect(try await store.extend(kept.id, until: clock.now().addingTimeInterval(120)) != nil)
        // The brief hold expires now: extended to a millisecond from now, then gone on Redis's clock.
        #expect(try await store.extend(brief.id, until: clock.now().addingTimeInterval(0.001)) != nil)
        for _ in 0..<50 where try await store.hold(brief.id) != nil { try await Task.sleep(for: .milliseconds(50)) }
        #expect(try await store.sweep().map(\.id) == [brief.id])
        let extended = try #require(try await store.hold(kept.id))
        #expect(try await store.release(kept.id) == extended)
        #expect(try await store.sweep().isEmpty)
    }

    private func exerciseSocketQuota(redis: RedisClient, prefix: String) async throws {
        let quota = RedisSocketQuota(
            redis: redis, prefix: prefix, perUser: 2, perAddress: 50, ttl: .seconds(60), logger: Logger(label: "test"))
        let user = UUID()
        for address in ["192.0.2.1", "192.0.2.2"] {
            guard case .admitted = await quota.admit(user: user, address: address) else {
                Issue.record("a lease within the quota was refused")
                return
            }
        }
        guard case .refused(.perUser) = await quota.admit(user: user, address: "192.0.2.3") else {
            Issue.record("the third lease was admitted")
            return
        }
        guard case .admitted = await quota.admit(user: UUID(), address: "192.0.2.1") else {
            Issue.record("another user's lease was refused")
            return
        }
        await quota.renew()
        await quota.shutdown()
    }

    /// Each command's keys in one slot; each script's commands in its KEYS' slot.
    private func checkSlots(_ lines: [MonitorLine], prefix: String, redis: RedisClient) async throws {
        // The keys of each command that names ours, as the server finds them (`COMMAND GETKEYS`).
        let ours = lines.indices.filter { lines[$0].arguments.contains { $0.contains(prefix) } }
        let replies = try await redis.pipeline(ours.map { RESPCommand(["COMMAND", "GETKEYS"] + lines[$0].arguments) })
        var keysOf: [Int: [String]] = [:]
        for (index, reply) in zip(ours, replies) { keysOf[index] = reply.array?.compactMap(\.string) ?? [] }
        var scripts = 0
        var scriptCommands = 0
        var commands = 0
        for (index, line) in lines.enumerated() {
            guard let keys = keysOf[index], !keys.isEmpty else { continue }
            #expect(
                Set(keys.map(RedisClusterSlot.slot(of:))).count == 1,
                "keys of \(line.arguments.prefix(8)) in several slots")
            if line.isScript {
                scriptCommands += 1
                // Script commands run between their EVALSHA's line and the next one (Redis prints the EVALSHA before
                // or after them by version): their slot must be that of a neighbouring script call.
                let callers = [
                    lines[..<index].lastIndex(where: \.isScriptCall),
                    lines[(index + 1)...].firstIndex(where: \.isScriptCall),
                ].compactMap { $0 }.compactMap { keysOf[$0]?.first.map(RedisClusterSlot.slot(of:)) }
                #expect(
                    callers.contains(RedisClusterSlot.slot(of: keys[0])),
                    "script command \(line.arguments) left its slot")
            } else {
                commands += 1
                if line.isScriptCall { scripts += 1 }
            }
        }
        // Not vacuous: the monitor saw the scripts, what they ran, and the commands around them.
        #expect(
            scripts >= 12 && scriptCommands >= 30 && commands - scripts >= 15,
            "\(scripts) \(scriptCommands) \(commands)")
    }
}

/// One line of `MONITOR` output: `1700000000.000000 [0 127.0.0.1:5000] "SET" "k" "v"`, or `[0 lua]` for a command
/// a script ran.
private struct MonitorLine {
    var isScript: Bool
    var arguments: [String]

    var isScriptCall: Bool { !isScript && ["EVALSHA", "EVAL"].contains(arguments.first?.uppercased()) }

    init(_ text: String) {
        let header = text.firstIndex(of: "]").map { text[..<$0] } ?? ""
        isScript = header.hasSuffix(" lua")
        arguments = Self.quoted(text[(text.firstIndex(of: "]") ?? text.startIndex)...])
    }

    /// The quoted arguments, unescaped as Redis escapes them (`\"`, `\\`, `\n`, `\r`, `\t`, `\a`, `\b`, `\xHH`).
    private static func quoted(_ text: Substring) -> [String] {
        var arguments: [String] = []
        var current: [UInt8]?
        var bytes = Array(text.utf8)[...]
        while let byte = bytes.popFirst() {
            guard current != nil else {
                if byte == UInt8(ascii: "\"") { current = [] }
                continue
            }
            switch byte {
            case UInt8(ascii: "\""):
                arguments.append(String(decoding: current!, as: UTF8.self))
                current = nil
            case UInt8(ascii: "\\"):
                guard let escaped = bytes.popFirst() else { continue }
                switch escaped {
                case UInt8(ascii: "n"): current!.append(10)
                case UInt8(ascii: "r"): current!.append(13)
                case UInt8(ascii: "t"): current!.append(9)
                case UInt8(ascii: "a"): current!.append(7)
                case UInt8(ascii: "b"): current!.append(8)
                case UInt8(ascii: "x"):
                    let hex = String(decoding: bytes.prefix(2), as: UTF8.self)
                    bytes = bytes.dropFirst(2)
                    current!.append(UInt8(hex, radix: 16) ?? 0)
                default: current!.append(escaped)
                }
            default:
                current!.append(byte)
            }
        }
        return arguments
    }
}

/// A raw connection in `MONITOR` mode, collecting every line the server prints.
private struct RedisMonitor {
    let channel: any Channel
    let lines: NIOLockedValueBox<[String]>

    static func start(_ configuration: RedisConfiguration) async throws -> RedisMonitor {
        let lines = NIOLockedValueBox<[String]>([])
        let channel = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandlers(
                        ByteToMessageHandler(RESPDecoder()), Collector(lines: lines))
                }
            }
            .connect(host: configuration.host, port: configuration.port).get()
        var buffer = channel.allocator.buffer(capacity: 128)
        var replies = 1
        if let password = configuration.password {
            RESPCommand(["AUTH"] + (configuration.username.map { [$0] } ?? []) + [password]).encode(into: &buffer)
            replies += 1
        }
        RESPCommand(["MONITOR"]).encode(into: &buffer)
        try await channel.writeAndFlush(buffer).get()
        let monitor = RedisMonitor(channel: channel, lines: lines)
        try await monitor.waitFor("monitoring") { $0.filter { $0 == "OK" }.count >= replies }
        return monitor
    }

    /// The lines up to a marker sent through `redis` after everything else, then closes the connection.
    func stop(after redis: RedisClient) async throws -> [String] {
        let marker = "monitor-end-\(UUID().uuidString)"
        _ = try await redis.send(["ECHO", marker])
        defer { channel.close(promise: nil) }
        try await waitFor("the end marker") { $0.contains { $0.contains(marker) } }
        let all = lines.withLockedValue { $0 }
        return Array(all.prefix { !$0.contains(marker) })
    }

    private func waitFor(_ what: String, _ done: ([String]) -> Bool) async throws {
        let deadline = ContinuousClock.now + .seconds(10)
        while !lines.withLockedValue({ done($0) }) {
            guard ContinuousClock.now < deadline else { throw MonitorTimeout(waitingFor: what) }
            try await Task.sleep(for: .milliseconds(10))
        }
    }

    struct MonitorTimeout: Error {
        var waitingFor: String
    }

    private final class Collector: ChannelInboundHandler {
        typealias InboundIn = RESPValue
        let lines: NIOLockedValueBox<[String]>

        init(lines: NIOLockedValueBox<[String]>) { self.lines = lines }

        func channelRead(context: ChannelHandlerContext, data: NIOAny) {
            if let line = unwrapInboundIn(data).string { lines.withLockedValue { $0.append(line) } }
        }
    }
}
