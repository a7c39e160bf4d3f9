import Fluent
import Vapor

/// The live seat map of a show: the show's snapshot (layout, prices, booked seats) with the live holds laid over it.
struct AvailabilityService: Sendable {
    let holds: HoldService

    /// The seat map's JSON for this caller (their own holds read `held_by_you`) and its ETag.
    func seatMap(showID: UUID, caller: AuthenticatedUser?, on db: any Database) async throws -> (
        body: ByteBuffer, etag: String
    ) {
        _ = try await holds.snapshots.showPart(showID, on: db)  // a 404 before the hold store is asked
        return try await holds.snapshots.seatMap(
            showID, caller: caller?.id, holds: try await holds.store.holds(forShow: showID), on: db)
    }
}
