import Foundation

/// Seats of one show reserved for one user until `expiresAt`.
public struct SeatHold: Codable, Sendable, Equatable {
    public var id: UUID
    public var showId: UUID
    public var userId: UUID
    public var seatIds: [UUID]
    public var createdAt: Date
    public var expiresAt: Date
    /// Each seat's price, fixed when the hold was placed (issue 29): the booking made from this hold charges
    /// exactly these, whatever demand does meanwhile. In `seatIds`' order; nil for a hold placed while a seat had no
    /// price (its booking is then refused), or by a server from before prices were fixed at hold time.
    public var prices: [SeatPrice]?

    /// One held seat's price in paise: `priceMinor` is what the customer pays, `basePriceMinor` the category's
    /// price at the show before demand moved it.
    public struct SeatPrice: Codable, Sendable, Equatable {
        public var seatId: UUID
        public var priceMinor: Int
        public var basePriceMinor: Int

        public init(seatId: UUID, priceMinor: Int, basePriceMinor: Int) {
            self.seatId = seatId
            self.priceMinor = priceMinor
            self.basePriceMinor = basePriceMinor
        }
    }

    public init(
        id: UUID, showId: UUID, userId: UUID, seatIds: [UUID], createdAt: Date, expiresAt: Date,
        prices: [SeatPrice]? = nil
    ) {
        self.id = id
        self.showId = showId
        self.userId = userId
        self.seatIds = seatIds
        self.createdAt = createdAt
        self.expiresAt = expiresAt
        self.prices = prices
    }

    /// The price fixed for `seat`, if the hold has one.
    public func price(of seat: UUID) -> SeatPrice? {
        prices?.first { $0.seatId == seat }
    }
}

/// What placing a hold came to: all seats held, the seats someone else holds, or the user's cap reached
/// (`held` is what the user already holds at that show).
public enum HoldOutcome: Sendable, Equatable {
    case held(SeatHold)
    case unavailable(seatIds: [UUID])
    case overLimit(held: Int)
}

/// Where holds live. Both implementations hold every seat of a request or none, and forget a hold
/// by themselves once it expires.
public protocol SeatHoldStore: Sendable {
    /// Places `hold` if none of its seats is held by a live hold and the user's live holds at that show plus
    /// this one come to at most `limit` seats; both checks and the write are one atomic step.
    func place(_ hold: SeatHold, limit: Int) async throws -> HoldOutcome
    func hold(_ id: UUID) async throws -> SeatHold?
    /// Live holds of a show: one call serves a whole seat map.
    func holds(forShow showId: UUID) async throws -> [SeatHold]
    /// Live holds of a user, or of everyone when `userId` is nil.
    func holds(forUser userId: UUID?) async throws -> [SeatHold]
    /// Moves the expiry of a live hold; nil when it is gone.
    func extend(_ id: UUID, until expiresAt: Date) async throws -> SeatHold?
    /// Removes a hold; returns it if it was live.
    func release(_ id: UUID) async throws -> SeatHold?
    /// Drops whatever expired holds the store still keeps and returns the holds that expired since the last sweep
    /// (those dropped on sight meanwhile included), each reported once even when several instances sweep, so live
    /// seat maps hear of every expiry. Only the ids, show, user and seats of a returned hold are certain.
    func sweep() async throws -> [SeatHold]
}
