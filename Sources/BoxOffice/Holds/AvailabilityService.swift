import Fluent
import Vapor

/// The live seat map of a show: the show's snapshot (layout, prices, booked seats) with the live holds laid over it.
struct AvailabilityService: Sendable {
    let holds: HoldService
    let roomHolds = RoomHoldsCache()

    /// The seat map's JSON for this caller (their own holds read `held_by_you`) and its ETag.
    func seatMap(showID: UUID, caller: AuthenticatedUser?, on db: any Database) async throws -> (
        body: ByteBuffer, etag: String
    ) {
        let part = try await holds.snapshots.showPart(showID, on: db)  // a 404 before the hold store is asked
        let store = holds.store
        var live: [SeatHold]
        if let room = part.room, room.isActive(at: holds.clock.now(), showStartsAt: part.facts.startsAt) {
            // Behind a waiting room: everyone's holds from the shared short-lived read, the caller's own fresh.
            live = try await roomHolds.holds(showID) { try await store.holds(forShow: showID) }
            if let caller {
                let mine = try await store.holds(forUser: caller.id).filter { $0.showId == showID }
                live = live.filter { $0.userId != caller.id } + mine
            }
        } else {
            live = try await store.holds(forShow: showID)
        }
        return try await holds.snapshots.seatMap(showID, caller: caller?.id, holds: live, on: db)
    }
}
