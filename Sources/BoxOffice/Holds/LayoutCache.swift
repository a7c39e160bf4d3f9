import Fluent
import Foundation
import Rules
import Vapor

/// The seats of a screen, read once and kept: layouts rarely change, seat maps are read constantly.
/// Layout writes invalidate their screen; every admin write moves the catalog version, which other instances
/// hear through `Freshness`; a lifetime bounds what is left.
final class LayoutCache: Sendable {
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

    /// A screen's seats in row and column order, with each seat's position and its seat-map JSON written once.
    struct Layout: Sendable {
        var seats: [SeatInfo]
        var position: [UUID: Int]
        /// Seat `i` in the seat map is `jsonBeforeStatus[i] + status + jsonAfterStatus[i]`.
        var jsonBeforeStatus: [[UInt8]]
        var jsonAfterStatus: [[UInt8]]
    }

    private let freshness: Freshness
    private let layouts: VersionedCache<UUID, Layout>

    init(freshness: Freshness, lifetime: Duration = .seconds(30)) {
        self.freshness = freshness
        self.layouts = VersionedCache(lifetime: lifetime, capacity: 1024)
    }

    func seats(of screenID: UUID, on db: any Database) async throws -> [SeatInfo] {
        try await layout(of: screenID, on: db).seats
    }

    func layout(of screenID: UUID, on db: any Database) async throws -> Layout {
        try await layouts.value(screenID, version: freshness.version(.catalog)) {
            try await Self.load(screenID, on: db)
        }
    }

    private static func load(_ screenID: UUID, on db: any Database) async throws -> Layout {
        let seats = try await Seat.query(on: db).filter(\.$screen.$id == screenID).filter(\.$retiredAt == nil)
            .sort(\.$rowLabel).sort(\.$column).all()
            .map { seat in
                SeatInfo(
                    id: try seat.requireID(), label: seat.label, row: seat.rowLabel, column: seat.column,
                    categoryId: seat.$category.id, kind: seat.kind, isAvailable: seat.isAvailable)
            }
        return try layout(seats)
    }

    func invalidate(_ screenID: UUID) async {
        layouts.remove(screenID)
        await freshness.bump(.catalog)
    }

    private static let statusMark = "@@status@@"

    static func layout(_ seats: [SeatInfo]) throws -> Layout {
        let encoder = JSONEncoder.api
        let mark = Array("\"\(statusMark)\"".utf8)
        var before: [[UInt8]] = [], after: [[UInt8]] = []
        before.reserveCapacity(seats.count)
        after.reserveCapacity(seats.count)
        for seat in seats {
            let json = Array(
                try encoder.encode(
                    AvailabilityResponse.SeatStatus(
                        id: seat.id, label: seat.label, row: seat.row, column: seat.column,
                        categoryId: seat.categoryId, kind: seat.kind, status: statusMark)))
            guard let start = json.firstRange(of: mark)?.lowerBound else {
                throw Abort(.internalServerError, reason: "seat JSON without its status")
            }
            before.append(Array(json[..<(start + 1)]))
            after.append(Array(json[(start + mark.count - 1)...]))
        }
        return Layout(
            seats: seats,
            position: Dictionary(seats.enumerated().map { ($1.id, $0) }, uniquingKeysWith: { first, _ in first }),
            jsonBeforeStatus: before, jsonAfterStatus: after)
    }
}
