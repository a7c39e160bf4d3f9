import Foundation
import RESP

/// Holds in Redis, shared by every instance. One Lua script checks every seat key and sets all of them
/// with `PX`, or none; release and extend are scripts that only touch seat keys still naming their hold.
/// Keys expire by themselves; the index sets are cleaned lazily and by `sweep()`.
public struct RedisSeatHoldStore: SeatHoldStore {
    let redis: RedisClient
    let clock: any AppClock
    let prefix: String

    public init(redis: RedisClient, clock: any AppClock, prefix: String = "bx:") {
        self.redis = redis
        self.clock = clock
        self.prefix = prefix
    }

    public func place(_ hold: SeatHold, limit: Int) async throws -> HoldOutcome {
        let seatKeys = hold.seatIds.map { seatKey(hold.showId, $0) }
        let reply = try await redis.evalSHA(
            Scripts.place,
            keys: [
                holdKey(hold.id), showSet(hold.showId), userSet(hold.userId), allSet,
                userShowSet(hold.userId, hold.showId),
            ] + seatKeys,
            arguments: [
                hold.id.uuidString, String(ttlMilliseconds(hold.expiresAt)), try encode(hold), member(hold),
                "\(prefix)hold:", String(limit),
            ])
        let items = reply.array ?? []
        if items.first?.string == "over_limit" { return .overLimit(held: items.dropFirst().first?.int ?? 0) }
        let taken = items.compactMap { $0.string }.compactMap { key in
            key.split(separator: ":").last.flatMap { UUID(uuidString: String($0)) }
        }
        return taken.isEmpty ? .held(hold) : .unavailable(seatIds: taken)
    }

    public func hold(_ id: UUID) async throws -> SeatHold? {
        try await redis.get(holdKey(id)).flatMap(decode)
    }

    public func holds(forShow showId: UUID) async throws -> [SeatHold] {
        try await members(of: showSet(showId)) { $0 }
    }

    public func holds(forUser userId: UUID?) async throws -> [SeatHold] {
        guard let userId else {
            return try await members(of: allSet) { String($0.split(separator: "|").first ?? "") }
        }
        return try await members(of: userSet(userId)) { $0 }
    }

    public func extend(_ id: UUID, until expiresAt: Date) async throws -> SeatHold? {
        guard var hold = try await hold(id) else { return nil }
        hold.expiresAt = expiresAt
        let reply = try await redis.evalSHA(
            Scripts.extend,
            keys: [holdKey(id)] + hold.seatIds.map { seatKey(hold.showId, $0) },
            arguments: [id.uuidString, String(ttlMilliseconds(expiresAt)), try encode(hold)])
        return reply.int == 1 ? hold : nil
    }

    public func release(_ id: UUID) async throws -> SeatHold? {
        guard let hold = try await hold(id) else { return nil }
        let reply = try await redis.evalSHA(
            Scripts.release,
            keys: [
                holdKey(id), showSet(hold.showId), userSet(hold.userId), allSet, userShowSet(hold.userId, hold.showId),
            ]
                + hold.seatIds.map { seatKey(hold.showId, $0) },
            arguments: [id.uuidString, member(hold)])
        return reply.int == 1 ? hold : nil
    }

    /// Drops index entries whose hold has expired.
    public func sweep() async throws -> Int {
        let entries = try await redis.send(["SMEMBERS", allSet]).array?.compactMap(\.string) ?? []
        var removed = 0
        for entry in entries {
            let parts = entry.split(separator: "|").map(String.init)
            guard parts.count == 3, let id = UUID(uuidString: parts[0]) else { continue }
            guard try await redis.exists([holdKey(id)]) == 0 else { continue }
            _ = try await redis.pipeline([
                ["SREM", allSet, entry], ["SREM", "\(prefix)holds:show:\(parts[1])", parts[0]],
                ["SREM", "\(prefix)holds:user:\(parts[2])", parts[0]],
                ["SREM", "\(prefix)holds:user:\(parts[2]):show:\(parts[1])", parts[0]],
            ])
            removed += 1
        }
        return removed
    }

    // MARK: - Keys and encoding

    private var allSet: String { "\(prefix)holds:all" }
    private func holdKey(_ id: UUID) -> String { "\(prefix)hold:\(id.uuidString)" }
    private func seatKey(_ show: UUID, _ seat: UUID) -> String { "\(prefix)seat:\(show.uuidString):\(seat.uuidString)" }
    private func showSet(_ show: UUID) -> String { "\(prefix)holds:show:\(show.uuidString)" }
    private func userSet(_ user: UUID) -> String { "\(prefix)holds:user:\(user.uuidString)" }
    /// One user's holds at one show: what the per-user cap counts, inside the place script.
    private func userShowSet(_ user: UUID, _ show: UUID) -> String {
        "\(prefix)holds:user:\(user.uuidString):show:\(show.uuidString)"
    }
    /// The all-holds set names show and user too, so a sweep can clean every index of an expired hold.
    private func member(_ hold: SeatHold) -> String {
        "\(hold.id.uuidString)|\(hold.showId.uuidString)|\(hold.userId.uuidString)"
    }

    private func ttlMilliseconds(_ expiresAt: Date) -> Int {
        max(1, Int((expiresAt.timeIntervalSince(clock.now()) * 1000).rounded(.up)))
    }

    /// The live holds whose ids a set lists; ids whose hold expired are removed from the set.
    private func members(of set: String, id: (String) -> String) async throws -> [SeatHold] {
        let entries = try await redis.send(["SMEMBERS", set]).array?.compactMap(\.string) ?? []
        guard !entries.isEmpty else { return [] }
        let ids = entries.map(id)
        let payloads = try await redis.mget(ids.map { "\(prefix)hold:\($0)" })
        var holds: [SeatHold] = []
        var dead: [String] = []
        for (entry, payload) in zip(entries, payloads) {
            if let hold = payload.flatMap(decode) { holds.append(hold) } else { dead.append(entry) }
        }
        if !dead.isEmpty { _ = try await redis.send(RESPCommand(["SREM", set] + dead)) }
        return holds
    }

    private func encode(_ hold: SeatHold) throws -> String {
        String(decoding: try JSONEncoder().encode(hold), as: UTF8.self)
    }

    private func decode(_ text: String) -> SeatHold? {
        try? JSONDecoder().decode(SeatHold.self, from: Data(text.utf8))
    }

    enum Scripts {
        /// KEYS: hold, show set, user set, all set, user-show set, seat…; ARGV: hold id, ttl ms, payload,
        /// all-set member, hold key prefix, seat limit. Returns `{"over_limit", held}` when the user's live holds
        /// at the show plus these seats pass the limit, else the seat keys that are taken (nothing is written
        /// then), else an empty array. The user's holds are read by their keys (a single Redis, not a cluster).
        static let place = RedisScript(
            """
            local held = 0
            for _, id in ipairs(redis.call('SMEMBERS', KEYS[5])) do
              local payload = redis.call('GET', ARGV[5] .. id)
              if payload then held = held + #cjson.decode(payload)['seatIds'] else redis.call('SREM', KEYS[5], id) end
            end
            if held + (#KEYS - 5) > tonumber(ARGV[6]) then return {'over_limit', held} end
            local taken = {}
            for i = 6, #KEYS do
              if redis.call('EXISTS', KEYS[i]) == 1 then taken[#taken + 1] = KEYS[i] end
            end
            if #taken > 0 then return taken end
            for i = 6, #KEYS do redis.call('SET', KEYS[i], ARGV[1], 'PX', ARGV[2]) end
            redis.call('SET', KEYS[1], ARGV[3], 'PX', ARGV[2])
            redis.call('SADD', KEYS[2], ARGV[1])
            redis.call('SADD', KEYS[3], ARGV[1])
            redis.call('SADD', KEYS[4], ARGV[4])
            redis.call('SADD', KEYS[5], ARGV[1])
            return {}
            """)

        /// KEYS: hold, seat…; ARGV: hold id, ttl ms, payload. 1 if the hold was live.
        static let extend = RedisScript(
            """
            if redis.call('EXISTS', KEYS[1]) == 0 then return 0 end
            for i = 2, #KEYS do
              if redis.call('GET', KEYS[i]) == ARGV[1] then redis.call('PEXPIRE', KEYS[i], ARGV[2]) end
            end
            redis.call('SET', KEYS[1], ARGV[3], 'PX', ARGV[2])
            return 1
            """)

        /// KEYS: hold, show set, user set, all set, user-show set, seat…; ARGV: hold id, all-set member.
        /// 1 if it was live.
        static let release = RedisScript(
            """
            if redis.call('EXISTS', KEYS[1]) == 0 then return 0 end
            redis.call('SREM', KEYS[5], ARGV[1])
            for i = 6, #KEYS do
              if redis.call('GET', KEYS[i]) == ARGV[1] then redis.call('DEL', KEYS[i]) end
            end
            redis.call('DEL', KEYS[1])
            redis.call('SREM', KEYS[2], ARGV[1])
            redis.call('SREM', KEYS[3], ARGV[1])
            redis.call('SREM', KEYS[4], ARGV[2])
            return 1
            """)
    }
}
