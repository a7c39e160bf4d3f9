import Fluent
import Rules
import Vapor

/// Seat holds: the rules (show on sale, seats of its screen and sellable, per-user cap, owner checks,
/// bounded extension) around a `SeatHoldStore` that does the atomic part.
struct HoldService: Sendable {
    let store: any SeatHoldStore
    let snapshots: SeatMapSnapshots
    /// Where live seat maps hear that seats were held, released or expired.
    let live: any LiveBus
    let clock: any AppClock
    let metrics: any AppMetrics
    let ttl: TimeInterval
    var maxSeatsPerUser = 10
    /// Checks a waiting room's admission when the show has an active one.
    var admissions: WaitingRoomService?

    var layouts: LayoutCache { snapshots.layouts }

    /// Holds the given seats, all or none.
    func place(
        showID: UUID, seatIDs: [UUID], for user: AuthenticatedUser, admission: String? = nil, on db: any Database
    ) async throws -> SeatHold {
        let show = try await onSale(showID, on: db)
        try admissions?.requireAdmission(admission, part: show, user: user.id, now: clock.now())
        var checks = FieldChecks()
        checks.require(!seatIDs.isEmpty, "seat_ids", "must name at least one seat")
        checks.require(Set(seatIDs).count == seatIDs.count, "seat_ids", "must not repeat a seat")
        try checks.throwIfAny()
        let layout = show.layout
        let byID = { (id: UUID) in layout.position[id].map { layout.seats[$0] } }
        let foreign = seatIDs.filter { byID($0) == nil }
        guard foreign.isEmpty else {
            throw APIError.validation(field: "seat_ids", "\(foreign.count) seat(s) are not on this show's screen")
        }
        let unsellable = seatIDs.compactMap(byID).filter { !$0.isSellable }
        guard unsellable.isEmpty else {
            throw APIError.validation(
                field: "seat_ids",
                "seat(s) \(unsellable.map(\.label).joined(separator: ", ")) are not for sale")
        }
        let owners = try await snapshots.bookedOwners(showID, on: db)
        let booked = seatIDs.filter { owners[$0] != nil }
        guard booked.isEmpty else {
            metrics.increment("seat_lock_conflicts_total")
            throw HoldError.seatsUnavailable(
                seats: booked, labels: booked.compactMap { byID($0)?.label }.sorted(), booked: true)
        }
        // The cap counts seats the user already booked (pending or confirmed) here; the store adds their live holds
        // inside its atomic step, so parallel requests cannot pass it together.
        let bookedByUser = owners.values.filter { $0 == user.id }.count
        let limit = maxSeatsPerUser - bookedByUser
        guard seatIDs.count <= limit else { throw overCap(booked: bookedByUser, held: 0) }
        let now = clock.now()
        // The price is fixed now, from the occupancy before this hold (issue 29); without rules it is the base price
        // and no hold store call is needed for it.
        let occupied =
            show.rules == nil ? 0 : show.occupied(owners: owners, holds: try await store.holds(forShow: showID))
        let hold = SeatHold(
            id: UUID(), showId: showID, userId: user.id, seatIds: seatIDs, createdAt: now,
            expiresAt: now.addingTimeInterval(ttl), prices: show.seatPrices(seatIDs, occupied: occupied, at: now))
        switch try await store.place(hold, limit: limit) {
        case .held(let placed):
            metrics.increment("seat_holds_placed_total")
            await live.publish(.seats(.init(showId: showID, status: .held, seatIds: placed.seatIds)))
            return placed
        case .overLimit(let held):
            throw overCap(booked: bookedByUser, held: held)
        case .unavailable(let taken):
            metrics.increment("seat_lock_conflicts_total")
            throw HoldError.seatsUnavailable(seats: taken, labels: taken.compactMap { byID($0)?.label }, booked: false)
        }
    }

    private func overCap(booked: Int, held: Int) -> APIError {
        APIError.validation(
            field: "seat_ids",
            "at most \(maxSeatsPerUser) seats per customer per show (you have \(booked) booked and \(held) held)")
    }

    /// Chooses the best block and holds it; a lost race for the chosen seats is retried with a fresh map.
    func placeBest(
        showID: UUID, count: Int, categoryID: UUID?, accessible: Bool, for user: AuthenticatedUser,
        admission: String? = nil, on db: any Database
    ) async throws -> SeatHold {
        try admissions?.requireAdmission(
            admission, part: try await onSale(showID, on: db), user: user.id, now: clock.now())
        for _ in 0..<3 {
            let block = try await bestBlock(
                showID: showID, count: count, categoryID: categoryID, accessible: accessible,
                for: user, on: db)
            do {
                return try await place(
                    showID: showID, seatIDs: block.map(\.id), for: user, admission: admission, on: db)
            } catch HoldError.seatsUnavailable {
                continue
            }
        }
        throw HoldError.chosenSeatsTaken
    }

    func bestBlock(
        showID: UUID, count: Int, categoryID: UUID?, accessible: Bool, for user: AuthenticatedUser?,
        on db: any Database
    ) async throws -> [BestAvailable.Seat] {
        var checks = FieldChecks()
        checks.require((1...maxSeatsPerUser).contains(count), "count", "must be from 1 to \(maxSeatsPerUser)")
        try checks.throwIfAny()
        let show = try await onSale(showID, on: db)
        let taken = try await takenSeats(showID: showID, on: db)
        let booked = try await snapshots.bookedOwners(showID, on: db)
        let candidates = show.layout.seats.map {
            BestAvailable.Seat(
                id: $0.id, label: $0.label, row: $0.row, column: $0.column, categoryId: $0.categoryId, kind: $0.kind,
                isFree: $0.isSellable && taken[$0.id] == nil && booked[$0.id] == nil)
        }
        guard
            let block = BestAvailable.choose(
                from: candidates, count: count, categoryId: categoryID, accessible: accessible)
        else {
            throw HoldError.noBlockAvailable(count: count, accessible: accessible)
        }
        return block
    }

    /// Seat → the user holding it, from one store call.
    func takenSeats(showID: UUID, on db: any Database) async throws -> [UUID: UUID] {
        var taken: [UUID: UUID] = [:]
        for hold in try await store.holds(forShow: showID) {
            for seat in hold.seatIds { taken[seat] = hold.userId }
        }
        return taken
    }

    /// A hold the caller may see: their own, or any for an admin. Anything else is a 404.
    func visibleHold(_ id: UUID, to caller: AuthenticatedUser) async throws -> SeatHold {
        guard let hold = try await store.hold(id), hold.userId == caller.id || caller.isAdmin else {
            throw APIError.notFound("Seat lock")
        }
        return hold
    }

    /// Pushes expiry to a full TTL from now, but never past twice the TTL from when the hold was placed.
    func extend(_ id: UUID, by caller: AuthenticatedUser) async throws -> SeatHold {
        let hold = try await visibleHold(id, to: caller)
        let limit = hold.createdAt.addingTimeInterval(2 * ttl)
        let target = min(clock.now().addingTimeInterval(ttl), limit)
        guard target > hold.expiresAt else {
            throw HoldError.extensionLimit
        }
        guard let extended = try await store.extend(id, until: target) else { throw APIError.notFound("Seat lock") }
        return extended
    }

    func release(_ id: UUID, by caller: AuthenticatedUser) async throws {
        _ = try await visibleHold(id, to: caller)
        guard let released = try await store.release(id) else { throw APIError.notFound("Seat lock") }
        metrics.increment("seat_holds_released_total")
        await live.publish(.seats(.init(showId: released.showId, status: .released, seatIds: released.seatIds)))
    }

    /// Drops a hold that can no longer be booked (a seat of it was sold meanwhile: the hold was placed from a booked-
    /// seat snapshot a moment old), so its other seats do not wait out the hold's lifetime, and tells live seat maps
    /// of the seats that are free again. Found by the on-sale rush: one such hold kept a show from selling out.
    func releaseUnbookable(_ hold: SeatHold, on db: any Database) async {
        guard let released = try? await store.release(hold.id) else { return }
        metrics.increment("seat_holds_released_total")
        let booked = (try? await BookedSeats.owners(showID: released.showId, now: clock.now(), on: db).owners) ?? [:]
        let freed = released.seatIds.filter { booked[$0] == nil }
        guard !freed.isEmpty else { return }
        await live.publish(.seats(.init(showId: released.showId, status: .released, seatIds: freed)))
    }

    /// Drops every hold (a restore replaced the shows and seats they were about) and tells live seat maps.
    func releaseAll() async throws -> Int {
        var count = 0
        for hold in try await store.holds(forUser: nil) {
            guard let released = try await store.release(hold.id) else { continue }
            count += 1
            await live.publish(.seats(.init(showId: released.showId, status: .released, seatIds: released.seatIds)))
        }
        return count
    }

    /// Drops expired holds and tells live seat maps their seats are free again; returns how many.
    func sweep() async throws -> Int {
        let expired = try await store.sweep()
        for hold in expired {
            await live.publish(.seats(.init(showId: hold.showId, status: .expired, seatIds: hold.seatIds)))
        }
        return expired.count
    }

    func recordActiveHolds() async throws {
        metrics.gauge("seat_holds_active", Double(try await store.holds(forUser: nil).count))
    }

    /// The show's snapshot if it is scheduled and has not started (the rule of `onSaleShow`, from the snapshot).
    func onSale(_ id: UUID, on db: any Database) async throws -> SeatMapSnapshots.ShowPart {
        let part = try await snapshots.showPart(id, on: db)
        guard part.facts.status == .scheduled, clock.now() < part.facts.startsAt else {
            throw HoldError.showNotOnSale
        }
        return part
    }

    /// The show if it is scheduled and has not started: the one rule for holding and booking alike.
    func onSaleShow(_ id: UUID, on db: any Database) async throws -> Show {
        guard let show = try await Show.find(id, on: db) else { throw APIError.notFound("Show") }
        guard show.status == .scheduled, clock.now() < show.startsAt else {
            throw HoldError.showNotOnSale
        }
        return show
    }
}
