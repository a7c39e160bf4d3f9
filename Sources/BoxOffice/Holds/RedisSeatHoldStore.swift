import Foundation
import RESP

/// Holds in Redis, shared by every instance, laid out for Redis Cluster: every key of one show's holds (payloads,
/// seats, the show's hold set, its per-user sets and its expiry set) carries the hash tag `{show:<id>}`, so each
/// script touches one slot. One Lua script checks the user's cap and every seat key and sets all of them with `PX`, or
/// none; release and extend are scripts that only touch seat keys still naming their hold. Keys expire by themselves;
/// the index sets are cleaned lazily and by `sweep()`, which finds the holds that expired in each show's sorted set
/// scored by expiry (Redis's own clock, the clock of the keys' TTLs), so a sweep costs what expired, not every hold.
///
/// Three keys sit outside the show's slot, each written by single-key commands after the show's script (so not
/// atomically with it): a pointer hold id → show (`hold(id)` has only the id), the user's holds across shows, and the
/// set of shows that may have live holds, which `sweep()` and `holds(forUser: nil)` walk. Seat exclusivity and the
/// per-user cap never depend on them: both are decided inside the show's script.
///
/// This layout replaced one without hash tags (a global `holds:expiry` set, `hold:<id>`, `seat:<show>:<seat>`): its
/// keys are not read; their holds expire within their TTL (10 minutes), and its index sets are left behind (small, and
/// harmless; `DEL` them at will). Stop every instance of the old layout before starting one of this: both at once
/// would not see each other's holds. `prefix` must not contain `{`: Redis would take it for the hash tag's start.
public struct RedisSeatHoldStore: SeatHoldStore {
    let redis: RedisClient
    let clock: any AppClock
    let keys: Keys
    let payloads = Payloads()

    /// Most expired holds one `sweep()` reports, over every show.
    static let sweepBatch = 1000
    /// How long a pointer outlives its hold, in ms, so it never lapses first (extend moves it before the hold).
    static let pointerGrace = 1000

    public init(redis: RedisClient, clock: any AppClock, prefix: String = "bx:") {
        self.redis = redis
        self.clock = clock
        self.keys = Keys(prefix: prefix)
    }

    public func place(_ hold: SeatHold, limit: Int) async throws -> HoldOutcome {
        let milliseconds = ttlMilliseconds(hold.expiresAt)
        let ttl = String(milliseconds)
        let reply = try await redis.evalSHA(
            Scripts.place, keys: keys.place(hold),
            arguments: [
                hold.id.uuidString, ttl, try encode(hold), member(hold), keys.holdPrefix(hold.showId), String(limit),
            ])
        let items = reply.array ?? []
        if items.first?.string == "over_limit" { return .overLimit(held: items.dropFirst().first?.int ?? 0) }
        let taken = items.compactMap { $0.string }.compactMap { key in
            key.split(separator: ":").last.flatMap { UUID(uuidString: String($0)) }
        }
        guard taken.isEmpty else { return .unavailable(seatIds: taken) }
        // The show goes into `holds:shows` after the script, never before: see `forget(_:)`.
        let index: [[String]] = [
            ["SET", keys.pointer(hold.id), hold.showId.uuidString, "PX", String(milliseconds + Self.pointerGrace)],
            ["SADD", keys.userHolds(hold.userId), userMember(hold.id, hold.showId)],
            ["SADD", keys.shows, hold.showId.uuidString],
        ]
        do {
            try await pipelineChecked(index)
        } catch {
            // Without its pointer the hold cannot be found by id (nor booked), without its show in `holds:shows` the
            // sweep and `holds(forUser: nil)` miss it: undo it and fail, so a retry does not find the customer's own
            // seats taken. Should the undo fail too, the hold just expires by its TTL.
            _ = try? await redis.evalSHA(
                Scripts.release, keys: keys.release(hold), arguments: [hold.id.uuidString, member(hold)])
            throw error
        }
        return .held(hold)
    }

    /// The pointer, then the payload. A hold whose pointer was never written (the place failed right after its script,
    /// and so did the undo) cannot be found by id: acceptable, as it expires by its TTL like any hold.
    public func hold(_ id: UUID) async throws -> SeatHold? {
        guard let show = try await redis.get(keys.pointer(id)).flatMap(UUID.init(uuidString:)) else { return nil }
        return try await redis.get(keys.hold(show, id)).flatMap { payloads.decode([$0]).first ?? nil }
    }

    public func holds(forShow showId: UUID) async throws -> [SeatHold] {
        let set = keys.showHolds(showId)
        let ids = try await redis.send(["SMEMBERS", set]).array?.compactMap(\.string) ?? []
        return try await live([Listing(set: set, members: ids, show: showId.uuidString[...])])
    }

    public func holds(forUser userId: UUID?) async throws -> [SeatHold] {
        guard let userId else {
            // Every show that may have holds, then their hold sets in one pipeline (split by node in a cluster).
            let shows = try await members(keys.shows).compactMap(UUID.init(uuidString:))
            guard !shows.isEmpty else { return [] }
            let sets = try await pipelineChecked(shows.map { ["SMEMBERS", keys.showHolds($0)] })
            return try await live(
                zip(shows, sets).map { show, reply in
                    Listing(
                        set: keys.showHolds(show), members: reply.array?.compactMap(\.string) ?? [],
                        show: show.uuidString[...])
                })
        }
        let set = keys.userHolds(userId)
        return try await live([Listing(set: set, members: try await members(set))])
    }

    public func extend(_ id: UUID, until expiresAt: Date) async throws -> SeatHold? {
        guard var hold = try await hold(id) else { return nil }
        hold.expiresAt = expiresAt
        let milliseconds = ttlMilliseconds(expiresAt)
        let ttl = String(milliseconds)
        // The pointer first: should the script then find the hold gone, a pointer to nothing lives on a while
        // (harmless); the other order could leave a live hold whose pointer lapsed.
        _ = try await redis.send(["PEXPIRE", keys.pointer(id), String(milliseconds + Self.pointerGrace)])
        let reply = try await redis.evalSHA(
            Scripts.extend, keys: keys.extend(hold), arguments: [id.uuidString, ttl, try encode(hold), member(hold)])
        return reply.int == 1 ? hold : nil
    }

    public func release(_ id: UUID) async throws -> SeatHold? {
        guard let hold = try await hold(id) else { return nil }
        let reply = try await redis.evalSHA(
            Scripts.release, keys: keys.release(hold), arguments: [id.uuidString, member(hold)])
        guard reply.int == 1 else { return nil }
        // The hold is gone; should this fail, its pointer lapses with its TTL and the user's index entry is pruned
        // when next read, so the release still succeeded.
        _ = try? await redis.pipeline([
            ["DEL", keys.pointer(id)], ["SREM", keys.userHolds(hold.userId), userMember(id, hold.showId)],
        ])
        return hold
    }

    /// Drops the index entries of holds that expired, at most `sweepBatch` a call over all shows, and returns those
    /// holds. Each show's script removes what it reports from that show's expiry set, so of several instances
    /// sweeping at once only one reports a hold. Shows are walked in random order, so a show with a backlog does
    /// not starve the others.
    public func sweep() async throws -> [SeatHold] {
        var entries: [String] = []
        for member in try await members(keys.shows).shuffled() where entries.count < Self.sweepBatch {
            guard let show = UUID(uuidString: member) else {
                _ = try? await redis.send(["SREM", keys.shows, member])
                continue
            }
            let reply: RESPValue
            do {
                reply = try await redis.evalSHA(
                    Scripts.sweep, keys: keys.sweep(show),
                    arguments: [
                        keys.holdPrefix(show), keys.userAtShowPrefix(show), String(Self.sweepBatch - entries.count),
                    ])
            } catch {
                // The shows swept so far removed what they found: report that rather than lose it.
                if entries.isEmpty { throw error }
                break
            }
            let items = reply.array ?? []
            entries += items.dropFirst().compactMap(\.string)
            if items.first?.int == 0 { await forget(show) }
        }
        let now = clock.now()
        let expired = entries.compactMap { entry -> SeatHold? in
            let parts = entry.split(separator: "|", omittingEmptySubsequences: false).map(String.init)
            guard parts.count == 4, let id = UUID(uuidString: parts[0]), let show = UUID(uuidString: parts[1]),
                let user = UUID(uuidString: parts[2])
            else { return nil }
            let seats = parts[3].split(separator: ",").compactMap { UUID(uuidString: String($0)) }
            return SeatHold(id: id, showId: show, userId: user, seatIds: seats, createdAt: now, expiresAt: now)
        }
        // Outside the shows' slots; what this misses is pruned when the user's holds are next read.
        if !expired.isEmpty {
            _ = try? await redis.pipeline(
                expired.map { ["SREM", keys.userHolds($0.userId), userMember($0.id, $0.showId)] })
        }
        return expired
    }

    /// Drops `show` from the shows to sweep once its expiry set is empty. A place adds its show after its script, so
    /// a place racing this is either seen by the count after the `SREM` (and the show is added back) or adds the show
    /// itself after the `SREM`.
    private func forget(_ show: UUID) async {
        let removed = (try? await redis.send(["SREM", keys.shows, show.uuidString])) != nil
        if removed, (try? await redis.send(["ZCARD", keys.expiry(show)]))?.int == 0 { return }
        // A hold slipped in, or an answer was lost: keep the show (an empty one is dropped by a later sweep).
        _ = try? await redis.send(["SADD", keys.shows, show.uuidString])
    }

    // MARK: - Keys and encoding

    /// Every key name of the store; the script key lists are built here, so a test checks their slots.
    struct Keys: Sendable {
        let prefix: String

        /// The hash tag shared by every key of one show's holds: one cluster slot per show.
        func tag(_ show: UUID) -> String { "{show:\(show.uuidString)}" }
        /// A hold's payload (JSON `SeatHold`), with the hold's TTL.
        func hold(_ show: UUID, _ id: UUID) -> String { holdPrefix(show) + id.uuidString }
        /// What the place and sweep scripts append a hold id to.
        func holdPrefix(_ show: UUID) -> String { holdPrefix(tag: show.uuidString[...]) }
        /// The same from the show id as written in an index member.
        func holdPrefix(tag show: Substring) -> String { "\(prefix)hold:{show:\(show)}:" }
        /// A held seat, naming its hold, with the hold's TTL.
        func seat(_ show: UUID, _ seat: UUID) -> String { "\(prefix)seat:\(tag(show)):\(seat.uuidString)" }
        /// The show's hold ids.
        func showHolds(_ show: UUID) -> String { "\(prefix)holds:\(tag(show))" }
        /// The show's holds by expiry time (ms since 1970 on Redis's clock).
        func expiry(_ show: UUID) -> String { "\(prefix)holds:\(tag(show)):expiry" }
        /// One user's hold ids at the show: what the per-user cap counts, inside the place script.
        func userAtShow(_ show: UUID, _ user: UUID) -> String { userAtShowPrefix(show) + user.uuidString }
        /// What the sweep script appends a user id to.
        func userAtShowPrefix(_ show: UUID) -> String { "\(prefix)holds:\(tag(show)):user:" }
        /// Hold id → its show id, with the hold's TTL and a second (outside the show's slot).
        func pointer(_ id: UUID) -> String { "\(prefix)holdref:\(id.uuidString)" }
        /// One user's holds at every show, as `holdId|showId` (outside the show's slot).
        func userHolds(_ user: UUID) -> String { "\(prefix)holds:user:\(user.uuidString)" }
        /// The ids of shows that may have live holds (outside every show's slot).
        var shows: String { "\(prefix)holds:shows" }

        /// KEYS of the place and release scripts: hold, show set, expiry set, user-at-show set, seat….
        func place(_ hold: SeatHold) -> [String] {
            [
                self.hold(hold.showId, hold.id), showHolds(hold.showId), expiry(hold.showId),
                userAtShow(hold.showId, hold.userId),
            ] + hold.seatIds.map { seat(hold.showId, $0) }
        }
        func release(_ hold: SeatHold) -> [String] { place(hold) }
        /// KEYS of the extend script: hold, expiry set, seat….
        func extend(_ hold: SeatHold) -> [String] {
            [self.hold(hold.showId, hold.id), expiry(hold.showId)] + hold.seatIds.map { seat(hold.showId, $0) }
        }
        /// KEYS of the sweep script: expiry set, show set.
        func sweep(_ show: UUID) -> [String] { [expiry(show), showHolds(show)] }
    }

    /// The expiry set's entry names show, user and seats too: a sweep cleans every index of an expired hold and
    /// reports its seats after its key is gone.
    private func member(_ hold: SeatHold) -> String {
        "\(hold.id.uuidString)|\(hold.showId.uuidString)|\(hold.userId.uuidString)|"
            + hold.seatIds.map(\.uuidString).joined(separator: ",")
    }

    private func userMember(_ id: UUID, _ show: UUID) -> String { "\(id.uuidString)|\(show.uuidString)" }

    private func ttlMilliseconds(_ expiresAt: Date) -> Int {
        max(1, Int((expiresAt.timeIntervalSince(clock.now()) * 1000).rounded(.up)))
    }

    private func members(_ set: String) async throws -> [String] {
        try await redis.send(["SMEMBERS", set]).array?.compactMap(\.string) ?? []
    }

    /// The members of an index set: hold ids of one show (`show` given), else `holdId|showId`. Kept as text: a map
    /// reads every member of its show, and parsing each into a `UUID` and printing it back into a key went through
    /// `sscanf` and `sprintf` (9 % of the server's CPU under the rush, with the payloads' own ids).
    private struct Listing {
        var set: String
        var members: [String]
        /// The show's id as written (its upper-case `uuidString`), for a show's hold set.
        var show: Substring?

        /// The member's hold id and show id, as written.
        func reference(_ member: String) -> (id: Substring, show: Substring)? {
            if let show { return (member[...], show) }
            let parts = member.split(separator: "|", omittingEmptySubsequences: false)
            return parts.count == 2 ? (parts[0], parts[1]) : nil
        }
    }

    /// The live holds the listings name, their payloads read with one `MGET` per show (one slot each) in one pipeline,
    /// which a cluster client splits by node. Members whose hold is gone are removed from their set.
    private func live(_ listings: [Listing]) async throws -> [SeatHold] {
        var byShow: [Substring: [Substring]] = [:]
        for listing in listings {
            for (id, show) in listing.members.compactMap(listing.reference) { byShow[show, default: []].append(id) }
        }
        guard !byShow.isEmpty else { return try await prune(listings, found: [:]) }
        let groups = Array(byShow)
        let replies = try await pipelineChecked(
            groups.map { show, ids in
                let prefix = keys.holdPrefix(tag: show)
                return ["MGET"] + ids.map { prefix + $0 }
            })
        var found: [Substring: SeatHold] = [:]
        for ((_, ids), reply) in zip(groups, replies) {
            let values = reply.array ?? []
            guard values.count == ids.count else { continue }
            var present: [Substring] = []
            var texts: [String] = []
            for (id, value) in zip(ids, values) {
                guard let text = value.string else { continue }
                present.append(id)
                texts.append(text)
            }
            for (id, hold) in zip(present, payloads.decode(texts)) {
                if let hold { found[id] = hold }
            }
        }
        return try await prune(listings, found: found)
    }

    /// The holds of `found` the listings name, in their order; removes the other members from their sets.
    private func prune(_ listings: [Listing], found: [Substring: SeatHold]) async throws -> [SeatHold] {
        var holds: [SeatHold] = []
        var removals: [[String]] = []
        for listing in listings {
            var dead: [String] = []
            for member in listing.members {
                if let hold = listing.reference(member).flatMap({ found[$0.id] }) {
                    holds.append(hold)
                } else {
                    dead.append(member)
                }
            }
            if !dead.isEmpty { removals.append(["SREM", listing.set] + dead) }
        }
        if !removals.isEmpty { try await pipelineChecked(removals) }
        return holds
    }

    /// A pipeline whose error replies are thrown (in a cluster, one command may fail while the others succeed).
    @discardableResult
    private func pipelineChecked(_ commands: [[String]]) async throws -> [RESPValue] {
        let replies = try await redis.pipeline(commands)
        if let message = replies.lazy.compactMap(\.errorMessage).first { throw RESPError(message: message) }
        return replies
    }

    private func encode(_ hold: SeatHold) throws -> String {
        String(decoding: try JSONEncoder().encode(hold), as: UTF8.self)
    }
}
