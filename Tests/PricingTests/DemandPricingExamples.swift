import Testing
@testable import Pricing

/// The issue's example rules: +10 % from 70 % sold, +25 % from 90 %, −15 % within 3 hours, clamped to −20…+30 %.
let issueRules = DemandPricingRules(
    occupancyTiers: [.init(fromPercent: 70, adjustPercent: 10), .init(fromPercent: 90, adjustPercent: 25)],
    leadTimeTiers: [.init(withinMinutes: 180, adjustPercent: -15)],
    maxAdjustPercent: 30, minAdjustPercent: -20)

/// Tiers that reach the clamps, listed out of order: −10 % always, +20 % from 50 %, +25 % from 90 %;
/// −15 % within a day, +20 % within the last hour.
let wideRules = DemandPricingRules(
    occupancyTiers: [
        .init(fromPercent: 90, adjustPercent: 25), .init(fromPercent: 0, adjustPercent: -10),
        .init(fromPercent: 50, adjustPercent: 20),
    ],
    leadTimeTiers: [.init(withinMinutes: 1_440, adjustPercent: -15), .init(withinMinutes: 60, adjustPercent: 20)],
    maxAdjustPercent: 30, minAdjustPercent: -20)

/// +1 % always: shows rounding to the rupee at a fraction of a paisa.
let onePercentRules = DemandPricingRules(
    occupancyTiers: [.init(fromPercent: 0, adjustPercent: 1)], maxAdjustPercent: 1, minAdjustPercent: 0)

/// The widest rules allowed: +300 % when full, −90 % in the last minute.
let extremeRules = DemandPricingRules(
    occupancyTiers: [.init(fromPercent: 100, adjustPercent: 300)],
    leadTimeTiers: [.init(withinMinutes: 1, adjustPercent: -90)],
    maxAdjustPercent: 300, minAdjustPercent: -90)

let day = 86_400

/// One seat category priced by hand: the inputs, the tiers that apply (by threshold), the clamped adjustment
/// and the price in paise.
struct DemandExample: Sendable, CustomTestStringConvertible {
    var name: String
    var rules: DemandPricingRules
    var base: Int, sold: Int, sellable: Int, secondsBefore: Int
    var occupancyFrom: Int?, leadTimeWithin: Int?, adjust: Int, price: Int

    var testDescription: String { name }

    init(
        _ name: String, _ rules: DemandPricingRules, base: Int, sold: Int, of sellable: Int, before secondsBefore: Int,
        tiers: (Int?, Int?), adjust: Int, price: Int
    ) {
        (self.name, self.rules, self.base, self.sold, self.sellable) = (name, rules, base, sold, sellable)
        (self.secondsBefore, self.occupancyFrom, self.leadTimeWithin) = (secondsBefore, tiers.0, tiers.1)
        (self.adjust, self.price) = (adjust, price)
    }
}

/// `price = ⌊(base × (100 + adjust) + 5 000) / 10 000⌋ × 100`. All amounts in paise.
extension DemandExample {
    static let all = tiers + clamping + rounding

    static let tiers: [DemandExample] = [
        .init(
            "50 % sold a day ahead: no tier, the base price", issueRules,
            base: 20_000, sold: 100, of: 200, before: day, tiers: (nil, nil), adjust: 0, price: 20_000),
        // 140 × 100 = 14 000 ≥ 70 × 200 = 14 000.
        .init(
            "exactly 70 % sold: +10 %", issueRules,
            base: 20_000, sold: 140, of: 200, before: day, tiers: (70, nil), adjust: 10, price: 22_000),
        .init(
            "one seat below 70 % (139 of 200, 69.5 %): no tier", issueRules,
            base: 20_000, sold: 139, of: 200, before: day, tiers: (nil, nil), adjust: 0, price: 20_000),
        // 7 000 ≥ 70 × 99 = 6 930; 6 900 < 6 930: an exact fraction, no float.
        .init(
            "70 of 99 seats (70.7 %) reach 70 %", issueRules,
            base: 20_000, sold: 70, of: 99, before: day, tiers: (70, nil), adjust: 10, price: 22_000),
        .init(
            "69 of 99 seats (69.7 %) do not", issueRules,
            base: 20_000, sold: 69, of: 99, before: day, tiers: (nil, nil), adjust: 0, price: 20_000),
        .init(
            "90 % sold: the higher tier replaces the lower, +25 %", issueRules,
            base: 20_000, sold: 180, of: 200, before: day, tiers: (90, nil), adjust: 25, price: 25_000),
        .init(
            "90 % sold, 2 hours before: +25 − 15 = +10 %", issueRules,
            base: 20_000, sold: 180, of: 200, before: 7_200, tiers: (90, 180), adjust: 10, price: 22_000),
        .init(
            "exactly 180 minutes before: −15 %", issueRules,
            base: 20_000, sold: 50, of: 200, before: 10_800, tiers: (nil, 180), adjust: -15, price: 17_000),
        .init(
            "180 minutes and 1 second before: no tier", issueRules,
            base: 20_000, sold: 50, of: 200, before: 10_801, tiers: (nil, nil), adjust: 0, price: 20_000),
        .init(
            "10 minutes after the start: still within the tier", issueRules,
            base: 20_000, sold: 50, of: 200, before: -600, tiers: (nil, 180), adjust: -15, price: 17_000),
        .init(
            "oversold (210 of 200 after seats were blocked): the top tier", issueRules,
            base: 20_000, sold: 210, of: 200, before: day, tiers: (90, nil), adjust: 25, price: 25_000),
        .init(
            "no sellable seats: no occupancy tier, not even one from 0 %", wideRules,
            base: 20_000, sold: 0, of: 0, before: 2 * day, tiers: (nil, nil), adjust: 0, price: 20_000),
        .init(
            "30 minutes before: the smallest window that contains it (60, not 1 440)", wideRules,
            base: 20_000, sold: 20, of: 200, before: 1_800, tiers: (0, 60), adjust: 10, price: 22_000),
    ]

    static let clamping: [DemandExample] = [
        .init(
            "95 % sold in the last hour: +25 + 20 = +45 %, clamped to +30 %", wideRules,
            base: 20_000, sold: 190, of: 200, before: 1_800, tiers: (90, 60), adjust: 30, price: 26_000),
        .init(
            "10 % sold 12 hours before: −10 − 15 = −25 %, clamped to −20 %", wideRules,
            base: 20_000, sold: 20, of: 200, before: 43_200, tiers: (0, 1_440), adjust: -20, price: 16_000),
        .init(
            "50 % sold a day before: +20 − 15 = +5 %, inside the clamps", wideRules,
            base: 20_000, sold: 100, of: 200, before: day, tiers: (50, 1_440), adjust: 5, price: 21_000),
        // 10⁹ × 400 = 4 × 10¹¹: far from overflowing.
        .init(
            "₹1 crore full: +300 %", extremeRules,
            base: 1_000_000_000, sold: 200, of: 200, before: day, tiers: (100, nil), adjust: 300,
            price: 4_000_000_000),
        .init(
            "₹1 crore, empty, 30 seconds before: −90 %", extremeRules,
            base: 1_000_000_000, sold: 0, of: 200, before: 30, tiers: (nil, 1), adjust: -90, price: 100_000_000),
    ]

    static let rounding: [DemandExample] = [
        // 10 500 × 110 = 1 155 000 paise/100 = ₹115.50 → ₹116.
        .init(
            "₹105 + 10 % = ₹115.50: half a rupee rounds up", issueRules,
            base: 10_500, sold: 140, of: 200, before: day, tiers: (70, nil), adjust: 10, price: 11_600),
        .init(
            "₹149 + 10 % = ₹163.90 → ₹164", issueRules,
            base: 14_900, sold: 140, of: 200, before: day, tiers: (70, nil), adjust: 10, price: 16_400),
        .init(
            "₹99 − 15 % = ₹84.15 → ₹84", issueRules,
            base: 9_900, sold: 0, of: 200, before: 600, tiers: (nil, 180), adjust: -15, price: 8_400),
        .init(
            "₹103 − 15 % = ₹87.55 → ₹88", issueRules,
            base: 10_300, sold: 0, of: 200, before: 600, tiers: (nil, 180), adjust: -15, price: 8_800),
        // 5 000 × 101 = 505 000 → ₹50.50 → ₹51; 4 999 × 101 = 504 899 → ₹50.4899 → ₹50.
        .init(
            "₹50.00 + 1 % = ₹50.50 → ₹51", onePercentRules,
            base: 5_000, sold: 0, of: 200, before: day, tiers: (0, nil), adjust: 1, price: 5_100),
        .init(
            "₹49.99 + 1 % = ₹50.4899 → ₹50: a fraction of a paisa below the half", onePercentRules,
            base: 4_999, sold: 0, of: 200, before: day, tiers: (0, nil), adjust: 1, price: 5_000),
        .init(
            "a base of ₹0.50 with no tier is rounded to ₹1", issueRules,
            base: 50, sold: 0, of: 200, before: day, tiers: (nil, nil), adjust: 0, price: 100),
        .init(
            "a base of ₹0.49 with no tier is rounded to ₹0", issueRules,
            base: 49, sold: 0, of: 200, before: day, tiers: (nil, nil), adjust: 0, price: 0),
        .init(
            "₹199.99 + 10 % = ₹219.989 → ₹220", issueRules,
            base: 19_999, sold: 140, of: 200, before: day, tiers: (70, nil), adjust: 10, price: 22_000),
        .init(
            "a free seat stays free", issueRules,
            base: 0, sold: 180, of: 200, before: day, tiers: (90, nil), adjust: 25, price: 0),
    ]
}
