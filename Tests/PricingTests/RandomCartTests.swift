import Testing
@testable import Pricing

/// Property checks over many seeded random carts: the invariants hold for every one of them.
@Suite("Random carts")
struct RandomCartTests {
    static let seeds: [UInt64] = [1, 2, 3, 5, 8, 13, 21, 0x5EED_CAFE]
    static let cartsPerSeed = 250

    @Test("Invariants, slabs, rounding and the spread hold", arguments: seeds)
    func invariantsHold(seed: UInt64) throws {
        var random = SplitMix64(seed: seed)
        for _ in 0..<Self.cartsPerSeed {
            let lines = Self.cart(using: &random)
            let discount = Self.discount(using: &random)
            let quote = try PriceCalculator.quote(lines: lines, discount: discount, gst: indiaGST)
            expectInvariants(quote)
            #expect(quote.discount == (discount?.amount(for: quote.subtotal) ?? 0))
            #expect(try PriceCalculator.quote(lines: lines, discount: discount, gst: indiaGST) == quote)
            Self.expectSlabsAndRounding(quote)
            Self.expectProportionalSpread(quote)
            if quote.discount == quote.subtotal { #expect(quote.total == 0) }
        }
    }

    /// Each line is taxed by the slab of its undiscounted unit price, each rate rounded half-up on its own.
    static func expectSlabsAndRounding(_ quote: PriceBreakdown) {
        for line in quote.lines {
            let bp =
                switch line.kind {
                case .seat: line.unitPrice <= 10_000 ? 600 : 900
                case .food: 250
                }
            #expect(line.gstRule.cgstBasisPoints == bp && line.gstRule.sgstBasisPoints == bp)
            #expect(line.cgst == (line.taxable * bp + 5_000) / 10_000)
            #expect(line.sgst == line.cgst)
        }
    }

    /// Every share is its proportional floor plus at most what the remainder gave it; the remainder
    /// went to the largest lines first (ties: first in order), each filled before the next got any.
    static func expectProportionalSpread(_ quote: PriceBreakdown) {
        guard quote.subtotal > 0 else { return }
        let floors = quote.lines.map { quote.discount * $0.gross / quote.subtotal }
        let extras = zip(quote.lines, floors).map { $0.discountShare - $1 }
        #expect(extras.allSatisfy { $0 >= 0 })
        #expect(extras.reduce(0, +) < max(quote.lines.count, 1))
        let order = quote.lines.indices.sorted {
            let (a, b) = (quote.lines[$0].gross, quote.lines[$1].gross)
            return a != b ? a > b : $0 < $1
        }
        var sawUnfilled = false
        for index in order {
            if sawUnfilled { #expect(extras[index] == 0, "a smaller line got a paisa before a larger one was full") }
            if quote.lines[index].taxable > 0 { sawUnfilled = true }
        }
    }

    /// 1–8 lines: seats on and around the ₹100 edge, food in quantities, now and then a ₹0 line.
    static func cart(using random: inout SplitMix64) -> [PriceLine] {
        (0..<Int.random(in: 1...8, using: &random)).map { index in
            if Bool.random(using: &random) {
                let price = [0, 1, 9_999, 10_000, 10_001, Int.random(in: 0...50_000, using: &random)]
                    .randomElement(using: &random)!
                return seat("S\(index)", price)
            }
            return food(
                "F\(index)", Int.random(in: 0...60_000, using: &random), x: Int.random(in: 1...10, using: &random),
                gst: Bool.random(using: &random) ? "food" : " Food ")
        }
    }

    /// None, a percent with or without a cap (including 0 % and 100 %), or a flat amount (sometimes huge).
    static func discount(using random: inout SplitMix64) -> DiscountRule? {
        switch Int.random(in: 0..<4, using: &random) {
        case 0: nil
        case 1:
            .percent(
                basisPoints: [0, 10_000, Int.random(in: 0...10_000, using: &random)].randomElement(using: &random)!,
                cap: Bool.random(using: &random) ? nil : Int.random(in: 0...20_000, using: &random))
        case 2: .flat(Int.random(in: 0...100_000, using: &random))
        default: .flat([1, 7, 1_000_000_000].randomElement(using: &random)!)
        }
    }
}

/// SplitMix64 (Steele, Lea, Flood 2014): a tiny seeded generator, so random carts are the same on every run.
struct SplitMix64: RandomNumberGenerator {
    private var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
