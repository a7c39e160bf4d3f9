import Testing
@testable import Pricing

@Suite("Discount spread")
struct SpreadTests {
    /// (discount, line values, expected shares).
    static let cases: [(Int, [Int], [Int])] = [
        (0, [100, 200], [0, 0]),  // nothing to spread
        (300, [100, 200], [100, 200]),  // the whole subtotal: every line to 0
        (30, [100, 200], [10, 20]),  // exact proportions, no remainder
        (1_000, [3_333, 3_334, 3_333], [333, 334, 333]),  // floors 333 ×3, 1 left → the largest
        (1_000, [1_001, 1_001, 1_001], [334, 333, 333]),  // tie → the first
        (2, [1, 1, 1], [1, 1, 0]),  // floors 0: the first two tied lines take 1 each
        (1, [1, 1, 1], [1, 0, 0]),
        (5, [7, 1, 1, 1], [5, 0, 0, 0]),  // floors 3,0,0,0; 2 left fit in the largest
        (4, [2, 1, 1, 1], [2, 1, 1, 0]),  // floors 1,0,0,0; the largest fills, the rest spills
        (9, [1, 9, 1], [0, 9, 0]),  // floors 0, 7.36 → 7, 0; 2 left → the 9
        (10, [0, 10], [0, 10]),  // a zero line takes nothing
        (2, [5], [2]),  // a single line takes it all
    ]

    @Test(arguments: cases)
    func spread(discount: Int, grosses: [Int], expected: [Int]) {
        let shares = PriceCalculator.spread(discount, over: grosses)
        #expect(shares == expected)
        #expect(shares.reduce(0, +) == discount)
        #expect(zip(shares, grosses).allSatisfy { $0 >= 0 && $0 <= $1 })
    }

    @Test("Shares of huge amounts are exact: no overflow in discount × value")
    func hugeAmounts() {
        // 10^15 paise spread 1 : 2: shares 3.33…×10^14 → floor, remainder 1 to the larger line.
        let shares = PriceCalculator.spread(
            1_000_000_000_000_000, over: [1_000_000_000_000_000, 2_000_000_000_000_000])
        #expect(shares == [333_333_333_333_333, 666_666_666_666_667])
    }
}
