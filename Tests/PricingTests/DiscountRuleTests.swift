import Testing
@testable import Pricing

@Suite("DiscountRule.amount(for:)")
struct DiscountRuleTests {
    /// (subtotal, rule, expected amount), each worked in its comment.
    static let cases: [(Int, DiscountRule, Int)] = [
        (65_000, .percent(basisPoints: 1_000, cap: 5_000), 5_000),  // 10 % = 6500, capped at 5000
        (40_000, .percent(basisPoints: 1_000, cap: 5_000), 4_000),  // 10 % = 4000, under the cap
        (12_345, .percent(basisPoints: 1_000), 1_235),  // 1234.5 → 1235 (half-up)
        (12_344, .percent(basisPoints: 1_000), 1_234),  // 1234.4 → 1234
        (12_345, .percent(basisPoints: 250), 309),  // 2.5 %: 308.625 → 309
        (12_340, .percent(basisPoints: 250), 309),  // 308.5 → 309 (half-even would be 308)
        (5_000, .percent(basisPoints: 1), 1),  // 0.01 %: 0.5 → 1
        (4_999, .percent(basisPoints: 1), 0),  // 0.4999 → 0
        (65_000, .percent(basisPoints: 10_000), 65_000),  // 100 %
        (65_000, .percent(basisPoints: 10_000, cap: 10_000), 10_000),  // 100 %, capped
        (65_000, .percent(basisPoints: 1_000, cap: 0), 0),  // a zero cap
        (65_000, .percent(basisPoints: 0), 0),
        (3_000, .flat(5_000), 3_000),  // flat more than the subtotal: clamped
        (65_000, .flat(5_000), 5_000),
        (5_000, .flat(5_000), 5_000),  // exactly the subtotal
        (65_000, .flat(0), 0),
        (0, .percent(basisPoints: 1_000), 0),  // empty subtotal
        (0, .flat(5_000), 0),
        // Out-of-range inputs are clamped, never trap: negative rate, cap, amount or subtotal count as 0;
        // a rate above 100 % counts as 100 %.
        (65_000, .percent(basisPoints: -100), 0),
        (65_000, .percent(basisPoints: 20_000), 65_000),
        (65_000, .percent(basisPoints: 1_000, cap: -1), 0),
        (65_000, .flat(-5), 0),
        (-100, .flat(50), 0),
        // No overflow at the top: Int.max × 50 % = 4611686018427387903.5 → …904; 10^12 paise × 33.33 %.
        (Int.max, .percent(basisPoints: 10_000), Int.max),
        (Int.max, .percent(basisPoints: 5_000), 4_611_686_018_427_387_904),
        (1_000_000_000_000, .percent(basisPoints: 3_333), 333_300_000_000),
    ]

    @Test(arguments: cases)
    func amount(subtotal: Int, rule: DiscountRule, expected: Int) {
        #expect(rule.amount(for: subtotal) == expected)
    }

    @Test("A percent amount is exactly (subtotal × bp + 5000) / 10000 for every rate on a few subtotals")
    func percentIsIntegerHalfUp() {
        for subtotal in [1, 99, 12_345, 65_000, 999_999] {
            for bp in 0...10_000 {
                #expect(DiscountRule.percent(basisPoints: bp).amount(for: subtotal) == (subtotal * bp + 5_000) / 10_000)
            }
        }
    }
}

@Suite("Integer arithmetic")
struct MinorArithmeticTests {
    @Test(arguments: [
        (12_345, 600, 741),  // 740.7
        (12_345, 250, 309),  // 308.625
        (9_975, 600, 599),  // 598.5
        (10_001, 900, 900),  // 900.09
        (0, 900, 0),
        (1, 5_000, 1),  // 0.5
        (1, 4_999, 0),  // 0.4999
        (Int.max, 10_000, Int.max),
        (Int.max, 0, 0),
    ])
    func halfUp(amount: Int, basisPoints: Int, expected: Int) {
        #expect(MinorArithmetic.halfUp(amount, basisPoints: basisPoints) == expected)
    }

    @Test func floorShareUsesDoubleWidth() {
        // 10^12 × 3 × 10^12 overflows Int64, the quotient does not: ⌊10^12 × 3/7⌋.
        #expect(
            MinorArithmetic.floorShare(of: 1_000_000_000_000, part: 3_000_000_000_000, whole: 7_000_000_000_000)
                == 428_571_428_571)
        #expect(MinorArithmetic.floorShare(of: Int.max, part: Int.max, whole: Int.max) == Int.max)
    }

    @Test func checkedSumsReportOverflow() {
        #expect(throws: PricingError.amountTooLarge) { try MinorArithmetic.add(Int.max, 1) }
        #expect(throws: PricingError.amountTooLarge) { try MinorArithmetic.multiply(Int.max / 2, 3) }
        #expect(throws: PricingError.amountTooLarge) { try MinorArithmetic.sum([Int.max, 1]) }
        #expect((try? MinorArithmetic.sum([1, 2, 3])) == 6)
    }
}
