import Foundation

/// The single-instance store: one actor owns every hold, so checking and taking seats is one step.
/// Expiry is judged by the injected clock on every access, so tests move time instead of sleeping.
public actor InProcessSeatHoldStore: SeatHoldStore {
    private let clock: any AppClock
    private var holdsByID: [UUID: SeatHold] = [:]
    /// show → seat → hold id.
    private var seatIndex: [UUID: [UUID: UUID]] = [:]
    /// user → their hold ids: the cap and "my holds" read this, not every hold.
    private var userIndex: [UUID: Set<UUID>] = [:]
    /// Holds dropped on sight as expired since the last sweep, which reports them (bounded: a store nobody sweeps
    /// does not grow without end).
    private var lapsed: [SeatHold] = []

    public init(clock: any AppClock) {
        self.clock = clock
    }

    public func place(_ hold: SeatHold, limit: Int) -> HoldOutcome {
        let now = clock.now()
        let held = (userIndex[hold.userId] ?? []).compactMap { holdsByID[$0] }
            .filter { $0.showId == hold.showId && $0.expiresAt > now }
            .reduce(0) { $0 + $1.seatIds.count }
        guard held + hold.seatIds.count <= limit else { return .overLimit(held: held) }
        let taken = hold.seatIds.filter { seat in
            guard let holder = seatIndex[hold.showId]?[seat], let existing = holdsByID[holder] else { return false }
            if existing.expiresAt <= now {
                expire(existing)
                return false
            }
            return true
        }
        guard taken.isEmpty else { return .unavailable(seatIds: taken) }
        holdsByID[hold.id] = hold
        userIndex[hold.userId, default: []].insert(hold.id)
        for seat in hold.seatIds { seatIndex[hold.showId, default: [:]][seat] = hold.id }
        return .held(hold)
    }

    public func hold(_ id: UUID) -> SeatHold? {
        live(holdsByID[id])
    }

    public func holds(forShow showId: UUID) -> [SeatHold] {
        Set((seatIndex[showId] ?? [:]).values).compactMap { live(holdsByID[$0]) }
    }

    public func holds(forUser userId: UUID?) -> [SeatHold] {
        guard let userId else { return holdsByID.values.compactMap { live($0) } }
        return (userIndex[userId] ?? []).compactMap { live(holdsByID[$0]) }
    }

    public func extend(_ id: UUID, until expiresAt: Date) -> SeatHold? {
        guard var hold = live(holdsByID[id]) else { return nil }
        hold.expiresAt = expiresAt
        holdsByID[id] = hold
        return hold
    }

    public func release(_ id: UUID) -> SeatHold? {
        guard let hold = live(holdsByID[id]) else { return nil }
        remove(hold)
        return hold
    }

    public func sweep() -> [SeatHold] {
        let now = clock.now()
        holdsByID.values.filter { $0.expiresAt <= now }.forEach(expire)
        defer { lapsed = [] }
        return lapsed
    }

    /// The hold if it has not expired; an expired one is dropped on sight.
    private func live(_ hold: SeatHold?) -> SeatHold? {
        guard let hold else { return nil }
        guard hold.expiresAt > clock.now() else {
            expire(hold)
            return nil
        }
        return hold
    }

    private func expire(_ hold: SeatHold) {
        remove(hold)
        if lapsed.count < 100_000 { lapsed.append(hold) }
    }

    private func remove(_ hold: SeatHold) {
        holdsByID[hold.id] = nil
        userIndex[hold.userId]?.remove(hold.id)
        if userIndex[hold.userId]?.isEmpty == true { userIndex[hold.userId] = nil }
        for seat in hold.seatIds where seatIndex[hold.showId]?[seat] == hold.id {
            seatIndex[hold.showId]?[seat] = nil
        }
        if seatIndex[hold.showId]?.isEmpty == true { seatIndex[hold.showId] = nil }
    }
}
