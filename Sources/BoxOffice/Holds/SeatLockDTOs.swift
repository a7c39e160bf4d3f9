import Rules
import Vapor

struct CreateSeatLockRequest: Content {
    var showId: UUID
    var seatIds: [UUID]?
    var bestAvailable: BestAvailableRequest?
    /// A waiting room's admission for this show and account, while the show sells through one.
    var admission: String?

    struct BestAvailableRequest: Content {
        var count: Int
        var categoryId: UUID?
        var accessible: Bool?
    }
}

struct SeatLockResponse: Content {
    var lockId: UUID
    var showId: UUID
    var userId: UUID
    var seatIds: [UUID]
    var seats: [SeatLabel]
    var createdAt: Date
    var expiresAt: Date

    struct SeatLabel: Content {
        var id: UUID
        var label: String
        /// Fixed when the hold was placed: what the booking made from this hold charges for the seat.
        var priceMinor: Int?
        var basePriceMinor: Int?
    }
}

struct SeatLockCleanupResponse: Content {
    var removed: Int
}

struct BestAvailableResponse: Content {
    var showId: UUID
    var seats: [AvailabilityResponse.SeatStatus]
}

struct AvailabilityResponse: Content {
    /// `MAX_SEATS_PER_USER_PER_SHOW`: the most seats one customer may hold and book at this show in all.
    var maxSeatsPerCustomer: Int
    /// The show's waiting room, if it sells through one: holds need an admission from `opens_at` until the start.
    var waitingRoom: WaitingRoomSummary?
    var show: ShowResponse
    var categories: [Category]
    var seats: [SeatStatus]
    var counts: [String: Int]

    struct WaitingRoomSummary: Content {
        var opensAt: Date
        var onSaleAt: Date
    }

    struct Category: Content {
        var id: UUID
        var name: String
        var displayOrder: Int
        /// The price now: the base price moved by the show's demand-pricing rules (the base price without rules).
        var priceMinor: Int?
        var basePriceMinor: Int?
    }

    struct SeatStatus: Content {
        var id: UUID
        var label: String
        var row: String
        var column: Int
        var categoryId: UUID
        var kind: SeatKind
        /// `available`, `held`, `held_by_you`, `booked`, or `unavailable` (blocked or out of service).
        var status: String
    }
}
