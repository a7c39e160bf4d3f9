import Foundation
import RESP

/// Holds in Redis, shared by every instance. One Lua script checks every seat key and sets all of them
/// with `PX`, or none; release and extend are scripts that only touch seat keys still naming their hold.
/// Keys expire by themselves; the index sets are cleaned lazily and by `sweep()`, which finds the holds that expired
/// in a sorted set scored by expiry (Redis's own clock, the clock of the keys' TTLs), so a sweep costs what expired,
/// not every hold.
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
                holdKey(hold.id), showSet(hold.showId), userSet(hold.userId), expirySet,
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
            let entries = try await redis.send(["ZRANGE", expirySet, "0", "-1"]).array?.compactMap(\.string) ?? []
            // Expired entries stay in the expiry set: the sweep reports them.
            return try await live(entries, pruning: nil) { String($0.split(separator: "|").first ?? "") }
        }
        return try await members(of: userSet(userId)) { $0 }
    }

    public func extend(_ id: UUID, until expiresAt: Date) async throws -> SeatHold? {
        guard var hold = try await hold(id) else { return nil }
        hold.expiresAt = expiresAt
        let reply = try await redis.evalSHA(
            Scripts.extend,
            keys: [holdKey(id), expirySet] + hold.seatIds.map { seatKey(hold.showId, $0) },
            arguments: [id.uuidString, String(ttlMilliseconds(expiresAt)), try encode(hold), member(hold)])
        return reply.int == 1 ? hold : nil
    }

    public func release(_ id: UUID) async throws -> SeatHold? {
        guard let hold = try await hold(id) else { return nil }
        let reply = try await redis.evalSHA(
            Scripts.release,
            keys: [
                holdKey(id), showSet(hold.showId), userSet(hold.userId), expirySet,
                userShowSet(hold.userId, hold.showId),
            ]
                + hold.seatIds.map { seatKey(hold.showId, $0) },
            arguments: [id.uuidString, member(hold)])
        return reply.int == 1 ? hold : nil
    }

    /// Drops the index entries of holds that expired, at most 1,000 a call, and returns those holds. The script
    /// removes each from the expiry set, so of several instances sweeping at once only one reports it.
    public func sweep() async throws -> [SeatHold] {
        let reply = try await redis.evalSHA(Scripts.sweep, keys: [expirySet], arguments: [prefix, "1000"])
        let now = clock.now()
        return (reply.array ?? []).compactMap(\.string).compactMap { entry in
            let parts = entry.split(separator: "|", omittingEmptySubsequences: false).map(String.init)
            guard parts.count == 4, let id = UUID(uuidString: parts[0]), let show = UUID(uuidString: parts[1]),
                let user = UUID(uuidString: parts[2])
            else { return nil }
            let seats = parts[3].split(separator: ",").compactMap { UUID(uuidString: String($0)) }
            return SeatHold(id: id, showId: show, userId: user, seatIds: seats, createdAt: now, expiresAt: now)
        }
    }

    // MARK: - Keys and encoding

    /// Every hold by its expiry time (ms since 1970 on Redis's clock).
    private var expirySet: String { "\(prefix)holds:expiry" }
    private func holdKey(_ id: UUID) -> String { "\(prefix)hold:\(id.uuidString)" }
    private func seatKey(_ show: UUID, _ seat: UUID) -> String { "\(prefix)seat:\(show.uuidString):\(seat.uuidString)" }
    private func showSet(_ show: UUID) -> String { "\(prefix)holds:show:\(show.uuidString)" }
    private func userSet(_ user: UUID) -> String { "\(prefix)holds:user:\(user.uuidString)" }
    /// One user's holds at one show: what the per-user cap counts, inside the place script.
    private func userShowSet(_ user: UUID, _ show: UUID) -> String {
        "\(prefix)holds:user:\(user.uuidString):show:\(show.uuidString)"
    }
    /// The expiry set's entry names show, user and seats too: a sweep cleans every index of an expired hold and
    /// reports its seats after its key is gone.
    private func member(_ hold: SeatHold) -> String {
        "\(hold.id.uuidString)|\(hold.showId.uuidString)|\(hold.userId.uuidString)|"
            + hold.seatIds.map(\.uuidString).joined(separator: ",")
    }

    private func ttlMilliseconds(_ expiresAt: Date) -> Int {
        max(1, Int((expiresAt.timeIntervalSince(clock.now()) * 1000).rounded(.up)))
    }

    /// The live holds whose ids a set lists; ids whose hold expired are removed from the set.
    private func members(of set: String, id: (String) -> String) async throws -> [SeatHold] {
        let entries = try await redis.send(["SMEMBERS", set]).array?.compactMap(\.string) ?? []
        return try await live(entries, pruning: set, id: id)
    }

    /// The live holds of `entries`; the entries whose hold is gone are removed from the set `pruning`, if any.
    private func live(_ entries: [String], pruning set: String?, id: (String) -> String) async throws -> [SeatHold] {
        guard !entries.isEmpty else { return [] }
        let ids = entries.map(id)
        let payloads = try await redis.mget(ids.map { "\(prefix)hold:\($0)" })
        var holds: [SeatHold] = []
        var dead: [String] = []
        for (entry, payload) in zip(entries, payloads) {
            if let hold = payload.flatMap(decode) { holds.append(hold) } else { dead.append(entry) }
        }
        if let set, !dead.isEmpty { _ = try await redis.send(RESPCommand(["SREM", set] + dead)) }
        return holds
    }

    private func encode(_ hold: SeatHold) throws -> String {
        String(decoding: try JSONEncoder().encode(hold), as: UTF8.self)
    }

    private func decode(_ text: String) -> SeatHold? {
        try? JSONDecoder().decode(SeatHold.self, from: Data(text.utf8))
    }

    enum Scripts {
        /// KEYS: hold, show set, user set, expiry set, user-show set, seat…; ARGV: hold id, ttl ms, payload,
        /// expiry-set member, hold key prefix, seat limit. Returns `{"over_limit", held}` when the user's live holds
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
            local now = redis.call('TIME')
            redis.call('ZADD', KEYS[4], now[1] * 1000 + math.floor(now[2] / 1000) + tonumber(ARGV[2]), ARGV[4])
            redis.call('SADD', KEYS[5], ARGV[1])
            return {}
            """)

        /// KEYS: hold, expiry set, seat…; ARGV: hold id, ttl ms, payload, expiry-set member. 1 if the hold was live.
        static let extend = RedisScript(
            """
            if redis.call('EXISTS', KEYS[1]) == 0 then return 0 end
            for i = 3, #KEYS do
              if redis.call('GET', KEYS[i]) == ARGV[1] then redis.call('PEXPIRE', KEYS[i], ARGV[2]) end
            end
            redis.call('SET', KEYS[1], ARGV[3], 'PX', ARGV[2])
            local now = redis.call('TIME')
            redis.call('ZADD', KEYS[2], now[1] * 1000 + math.floor(now[2] / 1000) + tonumber(ARGV[2]), ARGV[4])
            return 1
            """)

        /// KEYS: hold, show set, user set, expiry set, user-show set, seat…; ARGV: hold id, expiry-set member.
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
            redis.call('ZREM', KEYS[4], ARGV[2])
            return 1
            """)

        /// KEYS: expiry set; ARGV: key prefix, at most how many. The entries due by Redis's clock whose hold key is
        /// gone: each is removed from every index and returned (an entry due whose key still lives, a millisecond
        /// behind, waits for the next sweep).
        static let sweep = RedisScript(
            """
            local now = redis.call('TIME')
            local due = redis.call(
              'ZRANGEBYSCORE', KEYS[1], '-inf', now[1] * 1000 + math.floor(now[2] / 1000),
              'LIMIT', 0, tonumber(ARGV[2]))
            local p = ARGV[1]
            local gone = {}
            for _, entry in ipairs(due) do
              local id, show, user = string.match(entry, '^([^|]+)|([^|]+)|([^|]+)|')
              if not id then
                redis.call('ZREM', KEYS[1], entry)
              elseif redis.call('EXISTS', p .. 'hold:' .. id) == 0 then
                redis.call('ZREM', KEYS[1], entry)
                redis.call('SREM', p .. 'holds:show:' .. show, id)
                redis.call('SREM', p .. 'holds:user:' .. user, id)
                redis.call('SREM', p .. 'holds:user:' .. user .. ':show:' .. show, id)
                gone[#gone + 1] = entry
              end
            end
            return gone
            """)
    }
}
