import Foundation
import HoldStore

/// The live holds of shows behind an active waiting room, read from the hold store at most once per `maxAge` on this
/// instance and shared by every seat-map request meanwhile (issue 30: "the seat map is served from the cache to
/// everyone"). On an on-sale day every admitted buyer reads the map of the same show, often several times a second;
/// each read otherwise fetches and decodes every live hold of the show. A map may then lag a hold by up to `maxAge`
/// (the hold route still decides, so a seat shown free a moment too long is a 409, never a double sale); the caller's
/// own holds are always read fresh, so a buyer's seats show as theirs at once.
actor RoomHoldsCache {
    static let maxAge: Duration = .milliseconds(500)

    private struct Entry {
        var readAt: ContinuousClock.Instant
        var holds: [SeatHold]
    }

    private var entries: [UUID: Entry] = [:]
    /// One read per show at a time: the requests that arrive while it runs wait for it (no stampede).
    private var reading: [UUID: Task<[SeatHold], any Error>] = [:]

    func holds(_ show: UUID, read: @escaping @Sendable () async throws -> [SeatHold]) async throws -> [SeatHold] {
        let now = ContinuousClock.now
        if let entry = entries[show], now - entry.readAt < Self.maxAge { return entry.holds }
        if let running = reading[show] { return try await running.value }
        let task = Task { try await read() }
        reading[show] = task
        defer { reading[show] = nil }
        let holds = try await task.value
        entries[show] = Entry(readAt: now, holds: holds)
        // Shows whose rooms closed leave their entries behind: drop the stale ones now and then.
        if entries.count > 64 { entries = entries.filter { now - $0.value.readAt < Self.maxAge } }
        return holds
    }
}
