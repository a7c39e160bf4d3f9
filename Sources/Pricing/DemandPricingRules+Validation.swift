/// The bounds an admin's demand-pricing rules must keep, and the check that names every field outside them.
extension DemandPricingRules {
    /// At most this many tiers of each kind: more is a mistake, not a pricing policy.
    public static let maxTiersPerKind = 10
    /// `from_percent`: a share of the sellable seats. 0 is allowed (a tier that always applies).
    public static let fromPercentBounds = 0...100
    /// `within_minutes`: at least a minute, at most 30 days before the start.
    public static let withinMinutesBounds = 1...43_200
    /// Every `adjust_percent`: a tier may take off up to 90 % (never a free or negative price) or add up to 300 %.
    public static let adjustPercentBounds = -90...300
    /// `min_adjust_percent`: never above 0, so that with no tier applying the price is the base price.
    public static let minAdjustPercentBounds = -90...0
    /// `max_adjust_percent`: never below 0, for the same reason; together they also keep `min ≤ max`.
    public static let maxAdjustPercentBounds = 0...300

    /// Checks the rules against the bounds above and refuses two tiers of a kind with the same threshold.
    ///
    /// - Throws: `DemandPricingRulesError` listing every problem, each named by its field as the API spells it
    ///   (`occupancy_tiers[1].from_percent`), in the order of the fields.
    public func validate() throws(DemandPricingRulesError) {
        var problems: [DemandPricingRulesError.Problem] = []
        func check(_ value: Int, in bounds: ClosedRange<Int>, _ field: String) {
            guard !bounds.contains(value) else { return }
            problems.append(.init(field: field, message: "must be from \(bounds.lowerBound) to \(bounds.upperBound)"))
        }
        func checkCount(_ count: Int, _ field: String) {
            guard count > Self.maxTiersPerKind else { return }
            problems.append(.init(field: field, message: "must have at most \(Self.maxTiersPerKind) tiers"))
        }
        func checkRepeat(_ isNew: Bool, _ threshold: Int, _ field: String) {
            guard !isNew else { return }
            problems.append(.init(field: field, message: "repeats \(threshold); each tier needs its own threshold"))
        }

        checkCount(occupancyTiers.count, "occupancy_tiers")
        var fromPercents = Set<Int>()
        for (index, tier) in occupancyTiers.enumerated() {
            let field = "occupancy_tiers[\(index)]"
            check(tier.fromPercent, in: Self.fromPercentBounds, "\(field).from_percent")
            checkRepeat(fromPercents.insert(tier.fromPercent).inserted, tier.fromPercent, "\(field).from_percent")
            check(tier.adjustPercent, in: Self.adjustPercentBounds, "\(field).adjust_percent")
        }
        checkCount(leadTimeTiers.count, "lead_time_tiers")
        var withinMinutes = Set<Int>()
        for (index, tier) in leadTimeTiers.enumerated() {
            let field = "lead_time_tiers[\(index)]"
            check(tier.withinMinutes, in: Self.withinMinutesBounds, "\(field).within_minutes")
            checkRepeat(
                withinMinutes.insert(tier.withinMinutes).inserted, tier.withinMinutes, "\(field).within_minutes")
            check(tier.adjustPercent, in: Self.adjustPercentBounds, "\(field).adjust_percent")
        }
        check(maxAdjustPercent, in: Self.maxAdjustPercentBounds, "max_adjust_percent")
        check(minAdjustPercent, in: Self.minAdjustPercentBounds, "min_adjust_percent")
        guard problems.isEmpty else { throw DemandPricingRulesError(problems: problems) }
    }
}

/// Why demand-pricing rules were refused: every problem found, so an admin fixes them all at once.
/// Each maps to one entry of a 422's field errors.
public struct DemandPricingRulesError: Error, Hashable, Sendable, CustomStringConvertible {
    /// One field and what is wrong with it, e.g. `occupancy_tiers[0].from_percent` "must be from 0 to 100".
    public struct Problem: Sendable, Hashable {
        public let field: String
        public let message: String

        public init(field: String, message: String) {
            self.field = field
            self.message = message
        }
    }

    /// At least one.
    public let problems: [Problem]

    public init(problems: [Problem]) {
        self.problems = problems
    }

    public var description: String {
        "The demand-pricing rules are invalid: " + problems.map { "\($0.field) \($0.message)" }.joined(separator: "; ")
    }
}
