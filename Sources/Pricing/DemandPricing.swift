/// Demand-based prices (issue 29): a show's seat prices move with how full it is and how soon it starts.
///
/// The rule, for one seat category's base price:
/// 1. Occupancy is `sold ÷ sellable` as an exact fraction (sold counts held seats too). The occupancy tier that
///    applies is the one with the highest `fromPercent` the occupancy has reached: `sold × 100 ≥ fromPercent ×
///    sellable`. With no sellable seats no occupancy tier applies (0 ÷ 0 is not "full"); over 100 % (seats blocked
///    after they were sold) every tier has been reached.
/// 2. The lead-time tier that applies is the one with the smallest `withinMinutes` the start is within:
///    `secondsBeforeStart ≤ withinMinutes × 60`, compared in seconds, so 180 min 1 s before is outside a 180-minute
///    tier. Once the show has started (seconds ≤ 0) the start is within every tier.
/// 3. The two adjustments (0 for a kind with no tier that applies) add up, and the sum is clamped to
///    `minAdjustPercent…maxAdjustPercent`.
/// 4. `price = base × (100 + adjust) / 100`, rounded half-up to the rupee:
///    `⌊(base × (100 + adjust) + 5 000) / 10 000⌋ × 100`, integers only. A base that is not a whole rupee is
///    rounded too: ₹99.50 at 0 % is ₹100.00, so a show with demand rules always sells at whole rupees.
///
/// Each kind's tiers are independent: only one occupancy tier and one lead-time tier apply, never two of a kind.
/// GST is not applied here: the price this gives is the seat line's unit price, so it picks the GST slab, and a
/// ₹90 ticket pushed to ₹113 is taxed at 18 %.
public struct DemandPricingRules: Sendable, Equatable, Codable {
    /// Applies once `fromPercent` % of the sellable seats are sold or held.
    public struct OccupancyTier: Sendable, Hashable, Codable {
        public var fromPercent: Int
        public var adjustPercent: Int

        public init(fromPercent: Int, adjustPercent: Int) {
            self.fromPercent = fromPercent
            self.adjustPercent = adjustPercent
        }
    }

    /// Applies from `withinMinutes` minutes before the start.
    public struct LeadTimeTier: Sendable, Hashable, Codable {
        public var withinMinutes: Int
        public var adjustPercent: Int

        public init(withinMinutes: Int, adjustPercent: Int) {
            self.withinMinutes = withinMinutes
            self.adjustPercent = adjustPercent
        }
    }

    /// In any order; `validate()` refuses two with the same `fromPercent`.
    public var occupancyTiers: [OccupancyTier]
    /// In any order; `validate()` refuses two with the same `withinMinutes`.
    public var leadTimeTiers: [LeadTimeTier]
    /// The most the adjustments together may add, in percent (0…300).
    public var maxAdjustPercent: Int
    /// The most the adjustments together may take off, as a negative percent (−90…0).
    public var minAdjustPercent: Int

    public init(
        occupancyTiers: [OccupancyTier] = [], leadTimeTiers: [LeadTimeTier] = [],
        maxAdjustPercent: Int, minAdjustPercent: Int
    ) {
        self.occupancyTiers = occupancyTiers
        self.leadTimeTiers = leadTimeTiers
        self.maxAdjustPercent = maxAdjustPercent
        self.minAdjustPercent = minAdjustPercent
    }

    /// Prices one seat category (see the type's documentation for the rule).
    ///
    /// - Parameters:
    ///   - basePriceMinor: the category's price for the show in paise; a negative one counts as 0.
    ///   - sold: seats sold or held; a negative count counts as 0.
    ///   - sellable: seats that can be sold (blocked seats excluded).
    ///   - secondsBeforeStart: from now to the start; negative once the show has started.
    /// - Throws: `PricingError.amountTooLarge` only for a base far beyond any ticket: up to ₹1 crore
    ///   (10⁹ paise) `base × 400` is at most 4 × 10¹¹, which cannot overflow.
    ///
    /// Rules that `validate()` refuses are still priced without trapping or going below ₹0: each tier's
    /// adjustment and the clamped sum are also held to −90…300 %, and if `min > max` the minimum wins.
    public func price(
        basePriceMinor: Int, sold: Int, sellable: Int, secondsBeforeStart: Int
    ) throws(PricingError) -> DemandPrice {
        let occupancy = occupancyTier(sold: sold, sellable: sellable)
        let leadTime = leadTimeTier(secondsBeforeStart: secondsBeforeStart)
        let limits = Self.adjustPercentBounds
        let sum = (occupancy?.adjustPercent ?? 0).clamped(limits) + (leadTime?.adjustPercent ?? 0).clamped(limits)
        let adjust = max(minAdjustPercent, min(sum, maxAdjustPercent)).clamped(limits)
        let base = max(basePriceMinor, 0)
        let scaled = try MinorArithmetic.add(try MinorArithmetic.multiply(base, 100 + adjust), 5_000)
        return DemandPrice(
            basePriceMinor: base, adjustPercent: adjust, priceMinor: scaled / 10_000 * 100,
            occupancyTier: occupancy, leadTimeTier: leadTime)
    }

    /// The occupancy tier with the highest `fromPercent` that `sold ÷ sellable` has reached (ties: the first),
    /// or nil when none has or there are no sellable seats.
    public func occupancyTier(sold: Int, sellable: Int) -> OccupancyTier? {
        guard sellable > 0 else { return nil }
        var best: OccupancyTier?
        for tier in occupancyTiers where Self.product(max(sold, 0), 100) >= Self.product(tier.fromPercent, sellable) {
            if best.map({ tier.fromPercent > $0.fromPercent }) ?? true { best = tier }
        }
        return best
    }

    /// The lead-time tier with the smallest `withinMinutes` that the start is within (ties: the first), or nil.
    public func leadTimeTier(secondsBeforeStart: Int) -> LeadTimeTier? {
        var best: LeadTimeTier?
        for tier in leadTimeTiers where Self.product(secondsBeforeStart, 1) <= Self.product(tier.withinMinutes, 60) {
            if best.map({ tier.withinMinutes < $0.withinMinutes }) ?? true { best = tier }
        }
        return best
    }

    /// `a × b` at double width, ordered as the number it is, so comparing products never overflows.
    private static func product(_ a: Int, _ b: Int) -> (high: Int, low: UInt) {
        a.multipliedFullWidth(by: b)
    }
}

/// A demand price and why: the tiers that applied and the adjustment after clamping.
public struct DemandPrice: Sendable, Hashable {
    /// The category's base price, paise (0 if it was given negative).
    public let basePriceMinor: Int
    /// The tiers' adjustments added up and clamped, in percent.
    public let adjustPercent: Int
    /// `basePriceMinor × (100 + adjustPercent) / 100`, rounded half-up to the rupee: always a multiple of 100.
    public let priceMinor: Int
    /// The occupancy tier that applied, if any.
    public let occupancyTier: DemandPricingRules.OccupancyTier?
    /// The lead-time tier that applied, if any.
    public let leadTimeTier: DemandPricingRules.LeadTimeTier?
}

extension Int {
    fileprivate func clamped(_ bounds: ClosedRange<Int>) -> Int {
        Swift.min(Swift.max(self, bounds.lowerBound), bounds.upperBound)
    }
}
