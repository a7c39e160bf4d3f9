import Foundation
import RESP

/// A place in a show's waiting room: which entry, its 0-based rank in the queue, and how many stand in it.
struct QueuePlace: Sendable, Equatable {
    var entryID: UUID
    var rank: Int
    var total: Int
}

/// Where the queues live: in process for one instance, in Redis (sorted sets) for several. Joining is one atomic
/// step per account and room: a second join returns the first place.
protocol WaitingQueueStore: Sendable {
    /// The account's place in the show's queue, taking one with `score` (lower is nearer the front) if it has none.
    func join(show: UUID, user: UUID, entry: UUID, score: Double) async throws -> QueuePlace
    /// The place of `entry` (its show and account too), or nil for an entry that is not in any queue.
    func place(of entry: UUID) async throws -> (show: UUID, user: UUID, place: QueuePlace)?
    /// How many stand in the show's queue.
    func length(show: UUID) async throws -> Int
    /// Forgets a show's queue (the room was removed).
    func drop(show: UUID) async throws
}

actor InProcessWaitingQueueStore: WaitingQueueStore {
    private struct Queue {
        /// Sorted by (score, entry id), as a Redis sorted set orders ties.
        var entries: [(score: Double, entry: UUID)] = []
        var byUser: [UUID: UUID] = [:]
    }

    private var queues: [UUID: Queue] = [:]
    private var entries: [UUID: (show: UUID, user: UUID)] = [:]

    func join(show: UUID, user: UUID, entry: UUID, score: Double) -> QueuePlace {
        var queue = queues[show] ?? Queue()
        let id: UUID
        if let existing = queue.byUser[user] {
            id = existing
        } else {
            id = entry
            let index =
                queue.entries.firstIndex { ($0.score, $0.entry.uuidString) > (score, entry.uuidString) }
                ?? queue.entries.count
            queue.entries.insert((score, entry), at: index)
            queue.byUser[user] = entry
            queues[show] = queue
            entries[entry] = (show, user)
        }
        return QueuePlace(
            entryID: id, rank: queue.entries.firstIndex { $0.entry == id } ?? 0, total: queue.entries.count)
    }

    func place(of entry: UUID) -> (show: UUID, user: UUID, place: QueuePlace)? {
        guard let owner = entries[entry], let queue = queues[owner.show],
            let rank = queue.entries.firstIndex(where: { $0.entry == entry })
        else { return nil }
        return (owner.show, owner.user, QueuePlace(entryID: entry, rank: rank, total: queue.entries.count))
    }

    func length(show: UUID) -> Int { queues[show]?.entries.count ?? 0 }

    func drop(show: UUID) {
        guard let queue = queues.removeValue(forKey: show) else { return }
        for item in queue.entries { entries[item.entry] = nil }
    }
}

/// The queues in Redis: per show a sorted set of entries and a hash account → entry, both under the hash tag
/// `{show:<id>}` so the join script's keys share one cluster slot; and per entry a key naming its show and account
/// (written after the join, idempotently, so a place is found by its entry id alone).
struct RedisWaitingQueueStore: WaitingQueueStore {
    let redis: RedisClient
    let prefix: String

    private func queueKey(_ show: UUID) -> String { "\(prefix)room:{show:\(show.uuidString)}:queue" }
    private func usersKey(_ show: UUID) -> String { "\(prefix)room:{show:\(show.uuidString)}:users" }
    private func entryKey(_ entry: UUID) -> String { "\(prefix)room-entry:\(entry.uuidString)" }

    func join(show: UUID, user: UUID, entry: UUID, score: Double) async throws -> QueuePlace {
        let reply = try await redis.evalSHA(
            Self.join, keys: [queueKey(show), usersKey(show)],
            arguments: [user.uuidString, entry.uuidString, String(format: "%.0f", score)])
        guard let parts = reply.array, parts.count == 3, let id = parts[0].string.flatMap(UUID.init(uuidString:)),
            let rank = parts[1].int, let total = parts[2].int
        else { throw RedisClientError.unexpectedReply(command: "waiting-room join", reply: reply) }
        _ = try await redis.set(entryKey(id), to: "\(show.uuidString)|\(user.uuidString)", expiresIn: nil)
        return QueuePlace(entryID: id, rank: rank, total: total)
    }

    func place(of entry: UUID) async throws -> (show: UUID, user: UUID, place: QueuePlace)? {
        guard let owner = try await redis.get(entryKey(entry)) else { return nil }
        let parts = owner.split(separator: "|").compactMap { UUID(uuidString: String($0)) }
        guard parts.count == 2 else { return nil }
        let reply = try await redis.evalSHA(Self.rank, keys: [queueKey(parts[0])], arguments: [entry.uuidString])
        guard let values = reply.array, values.count == 2, let rank = values[0].int, let total = values[1].int else {
            return nil
        }
        return (parts[0], parts[1], QueuePlace(entryID: entry, rank: rank, total: total))
    }

    func length(show: UUID) async throws -> Int {
        try await redis.send(["ZCARD", queueKey(show)]).int ?? 0
    }

    func drop(show: UUID) async throws {
        _ = try await redis.delete([queueKey(show), usersKey(show)])
    }

    /// KEYS: queue, users; ARGV: account, new entry, score. Returns {entry, rank, total}.
    static let join = RedisScript(
        """
        local entry = redis.call('HGET', KEYS[2], ARGV[1])
        if not entry then
          entry = ARGV[2]
          redis.call('HSET', KEYS[2], ARGV[1], entry)
          redis.call('ZADD', KEYS[1], ARGV[3], entry)
        end
        return {entry, redis.call('ZRANK', KEYS[1], entry), redis.call('ZCARD', KEYS[1])}
        """)

    /// KEYS: queue; ARGV: entry. Returns {rank, total}, or an empty array when the entry is not in it.
    static let rank = RedisScript(
        """
        local rank = redis.call('ZRANK', KEYS[1], ARGV[1])
        if not rank then return {} end
        return {rank, redis.call('ZCARD', KEYS[1])}
        """)
}
