import Foundation

/// How much of a booking's price a customer's cancellation gives back: the first tier whose hours before the
/// start have not passed, none after the last tier or once the show started.
public struct RefundPolicy: Sendable, Equatable {
    public struct Tier: Sendable, Equatable {
        public var hoursBefore: Int
        public var percent: Int

        public init(hoursBefore: Int, percent: Int) {
            self.hoursBefore = hoursBefore
            self.percent = percent
        }
    }

    /// Sorted with the most hours first.
    public let tiers: [Tier]

    public init(tiers: [Tier]) {
        self.tiers = tiers.sorted { $0.hoursBefore > $1.hoursBefore }
    }

    /// The percent refunded `secondsBefore` the start, or nil when it is too late to cancel.
    public func percent(secondsBefore: TimeInterval) -> Int? {
        tier(secondsBefore: secondsBefore)?.percent
    }

    /// The tier that applies `secondsBefore` the start (it holds until `hoursBefore` hours before the start), or nil
    /// when it is too late to cancel.
    public func tier(secondsBefore: TimeInterval) -> Tier? {
        guard secondsBefore > 0 else { return nil }
        return tiers.first { secondsBefore >= TimeInterval($0.hoursBefore) * 3600 }
    }

    /// `percent` of `paid`, half-up to the minor unit, never more than what is left after earlier refunds.
    public static func amount(paid: Int, alreadyRefunded: Int, percent: Int) -> Int {
        max(0, min(paid - alreadyRefunded, (paid * percent + 50) / 100))
    }
}
