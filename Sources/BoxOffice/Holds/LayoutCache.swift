import Fluent
import Foundation
import Rules

/// The seats of a screen, read once and kept: layouts rarely change, seat maps are read constantly.
/// Layout writes invalidate their screen; a short lifetime bounds staleness when another instance wrote.
actor LayoutCache {
    struct SeatInfo: Sendable {
        var id: UUID
        var label: String
        var row: String
        var column: Int
        var categoryId: UUID
        var kind: SeatKind
        var isAvailable: Bool

        var isSellable: Bool { isAvailable && kind != .blocked }
    }

    private let clock: any AppClock
    private let lifetime: TimeInterval
    private var entries: [UUID: (seats: [SeatInfo], loadedAt: Date)] = [:]

    init(clock: any AppClock, lifetime: TimeInterval = 30) {
        self.clock = clock
        self.lifetime = lifetime
    }

    func seats(of screenID: UUID, on db: any Database) async throws -> [SeatInfo] {
        if let entry = entries[screenID], clock.now().timeIntervalSince(entry.loadedAt) < lifetime {
            return entry.seats
        }
        let seats = try await Seat.query(on: db).filter(\.$screen.$id == screenID).filter(\.$retiredAt == nil)
            .sort(\.$rowLabel).sort(\.$column).all()
            .map { seat in
                SeatInfo(
                    id: try seat.requireID(), label: seat.label, row: seat.rowLabel, column: seat.column,
                    categoryId: seat.$category.id, kind: seat.kind, isAvailable: seat.isAvailable)
            }
        entries[screenID] = (seats, clock.now())
        return seats
    }

    func invalidate(_ screenID: UUID) {
        entries[screenID] = nil
    }
}
