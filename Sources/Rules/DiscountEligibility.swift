import Foundation

/// Whether a promo code applies, checked in a fixed order; the first failing rule names the refusal.
public enum DiscountEligibility {
    public struct Terms: Sendable {
        public var isActive: Bool
        public var startsAt: Date?
        public var endsAt: Date?
        public var movieID: UUID?
        public var showID: UUID?
        public var minSubtotal: Int
        public var usageLimitTotal: Int?
        public var timesUsed: Int
        public var usageLimitPerUser: Int?

        public init(
            isActive: Bool, startsAt: Date?, endsAt: Date?, movieID: UUID?, showID: UUID?, minSubtotal: Int,
            usageLimitTotal: Int?, timesUsed: Int, usageLimitPerUser: Int?
        ) {
            self.isActive = isActive
            self.startsAt = startsAt
            self.endsAt = endsAt
            self.movieID = movieID
            self.showID = showID
            self.minSubtotal = minSubtotal
            self.usageLimitTotal = usageLimitTotal
            self.timesUsed = timesUsed
            self.usageLimitPerUser = usageLimitPerUser
        }
    }

    /// The stable codes clients see.
    public enum Refusal: String, Sendable, Equatable {
        case inactive
        case notStarted = "not_started"
        case expired
        case notApplicableMovie = "not_applicable_movie"
        case notApplicableShow = "not_applicable_show"
        case belowMinSubtotal = "below_min_subtotal"
        case exhaustedTotal = "usage_exhausted_total"
        case exhaustedForUser = "usage_exhausted_user"
    }

    /// `starts_at` is inclusive and `ends_at` exclusive. `usedByUser` is nil when it was not counted (no per-user limit).
    public static func refusal(_ terms: Terms, now: Date, showID: UUID, movieID: UUID, subtotal: Int, usedByUser: Int?)
        -> Refusal?
    {
        guard terms.isActive else { return .inactive }
        if let startsAt = terms.startsAt, now < startsAt { return .notStarted }
        if let endsAt = terms.endsAt, now >= endsAt { return .expired }
        if let scoped = terms.movieID, scoped != movieID { return .notApplicableMovie }
        if let scoped = terms.showID, scoped != showID { return .notApplicableShow }
        guard subtotal >= terms.minSubtotal else { return .belowMinSubtotal }
        if let limit = terms.usageLimitTotal, terms.timesUsed >= limit { return .exhaustedTotal }
        if let limit = terms.usageLimitPerUser, let used = usedByUser, used >= limit { return .exhaustedForUser }
        return nil
    }
}
