import Testing
@testable import Pricing

/// Property checks over seeded random rules and inputs.
@Suite("Random demand prices")
struct DemandPricingPropertyTests {
    static let seeds: [UInt64] = [1, 2, 3, 5, 8, 13, 21, 0x5EED_CAFE]
    static let rulesPerSeed = 100

    @Test("Whole rupees, within the clamps, the right tiers, monotone in occupancy", arguments: seeds)
    func propertiesHold(seed: UInt64) throws {
        var random = SplitMix64(seed: seed)
        for _ in 0..<Self.rulesPerSeed {
            let increasing = Bool.random(using: &random)
            let rules = Self.rules(increasing: increasing, using: &random)
            try rules.validate()
            let base = [
                0, 1, 50, 9_999, 10_000, 1_000_000_000, Int.random(in: 0...100_000, using: &random) * 100,
                Int.random(in: 0...1_000_000_000, using: &random),
            ].randomElement(using: &random)!
            let sellable = Int.random(in: 0...300, using: &random)
            let seconds = Int.random(in: -3_600...(3 * 43_200 * 60), using: &random)
            var previous = Int.min
            for sold in 0...(sellable + 3) {
                let price = try rules.price(
                    basePriceMinor: base, sold: sold, sellable: sellable, secondsBeforeStart: seconds)
                Self.expectProperties(price, rules, sold: sold, sellable: sellable, seconds: seconds)
                if increasing {
                    #expect(price.priceMinor >= previous, "monotone in occupancy: \(rules), sold \(sold)")
                    previous = price.priceMinor
                }
            }
        }
    }

    /// `⌊(base × (100 + percent) + 5 000) / 10 000⌋ × 100`, the price at `percent`, by the plain formula.
    static func rounded(_ base: Int, _ percent: Int) -> Int { (base * (100 + percent) + 5_000) / 10_000 * 100 }

    static func expectProperties(
        _ price: DemandPrice, _ rules: DemandPricingRules, sold: Int, sellable: Int, seconds: Int
    ) {
        let base = price.basePriceMinor
        #expect(price.priceMinor % 100 == 0 && price.priceMinor >= 0, "a whole rupee, never negative")
        #expect((rules.minAdjustPercent...rules.maxAdjustPercent).contains(price.adjustPercent))
        #expect(price.priceMinor == rounded(base, price.adjustPercent))
        #expect(
            (rounded(base, rules.minAdjustPercent)...rounded(base, rules.maxAdjustPercent)).contains(price.priceMinor))
        // The occupancy tier is reached, and no tier with a higher threshold is.
        let reached = rules.occupancyTiers.filter { sellable > 0 && sold * 100 >= $0.fromPercent * sellable }
        #expect(price.occupancyTier?.fromPercent == reached.map(\.fromPercent).max())
        // The lead-time tier contains the start, and no tier with a smaller window does.
        let within = rules.leadTimeTiers.filter { seconds <= $0.withinMinutes * 60 }
        #expect(price.leadTimeTier?.withinMinutes == within.map(\.withinMinutes).min())
        let sum = (price.occupancyTier?.adjustPercent ?? 0) + (price.leadTimeTier?.adjustPercent ?? 0)
        #expect(price.adjustPercent == max(rules.minAdjustPercent, min(sum, rules.maxAdjustPercent)))
    }

    /// Valid random rules: 0–10 tiers of each kind with distinct thresholds, in random order. When `increasing`,
    /// a higher occupancy threshold never has a smaller adjustment, and no tier (adjustment 0) is never above the
    /// lowest tier: either a tier from 0 % always applies, or every adjustment is at least 0.
    static func rules(increasing: Bool, using random: inout SplitMix64) -> DemandPricingRules {
        let adjust = DemandPricingRules.adjustPercentBounds
        var froms = Set(
            (0..<Int.random(in: 0...9, using: &random)).map { _ in Int.random(in: 0...100, using: &random) })
        let fromZero = increasing && Bool.random(using: &random)
        if fromZero { froms.insert(0) }
        let thresholds = froms.sorted().shuffled(using: &random)
        let adjustments = increasing && !fromZero ? 0...adjust.upperBound : adjust
        var adjusts = thresholds.map { _ in Int.random(in: adjustments, using: &random) }
        if increasing {
            let sortedAdjusts = adjusts.sorted()
            let rank = thresholds.indices.sorted { thresholds[$0] < thresholds[$1] }
            for (position, index) in rank.enumerated() { adjusts[index] = sortedAdjusts[position] }
        }
        let windows = Set(
            (0..<Int.random(in: 0...10, using: &random)).map { _ in
                [1, 60, 180, 1_440, 43_200, Int.random(in: 1...43_200, using: &random)].randomElement(using: &random)!
            }
        ).sorted().shuffled(using: &random)
        return DemandPricingRules(
            occupancyTiers: zip(thresholds, adjusts).map { .init(fromPercent: $0, adjustPercent: $1) },
            leadTimeTiers: windows.map {
                .init(withinMinutes: $0, adjustPercent: Int.random(in: adjust, using: &random))
            },
            maxAdjustPercent: Int.random(in: DemandPricingRules.maxAdjustPercentBounds, using: &random),
            minAdjustPercent: Int.random(in: DemandPricingRules.minAdjustPercentBounds, using: &random))
    }
}
