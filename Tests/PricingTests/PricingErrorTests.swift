import Testing
@testable import Pricing

@Suite("Pricing errors")
struct PricingErrorTests {
    static let tooRich = GSTRule(category: "ticket", cgstBasisPoints: 10_001, sgstBasisPoints: 600)

    /// A cart that cannot be priced, and why.
    struct Case: Sendable, CustomTestStringConvertible {
        var problem: String, lines: [PriceLine], rules: [GSTRule], error: PricingError
        var testDescription: String { problem }

        init(_ problem: String, _ lines: [PriceLine], _ rules: [GSTRule], _ error: PricingError) {
            (self.problem, self.lines, self.rules, self.error) = (problem, lines, rules, error)
        }
    }

    static let cases: [Case] = [
        Case("no lines", [], indiaGST, .emptyCart),
        Case("the same seat twice", [seat("A1", 10_000), seat("A1", 10_000)], indiaGST, .duplicateLine(id: "A1")),
        Case("a negative price", [seat("A1", -1)], indiaGST, .negativeUnitPrice(lineID: "A1", unitPrice: -1)),
        Case("quantity 0", [food("popcorn", 15_000, x: 0)], indiaGST, .invalidQuantity(lineID: "popcorn", quantity: 0)),
        Case(
            "a negative quantity", [food("popcorn", 15_000, x: -2)], indiaGST,
            .invalidQuantity(lineID: "popcorn", quantity: -2)),
        Case(
            "a category with no slab", [seat("A1", 10_000), food("beer", 30_000, gst: " Liquor")], indiaGST,
            .noGSTRule(lineID: "beer", category: "liquor", unitPrice: 30_000)),
        Case(
            "a price between slabs", [seat("A1", 10_001)], [indiaGST[0], indiaGST[2]],
            .noGSTRule(lineID: "A1", category: "ticket", unitPrice: 10_001)),
        Case(
            "no slabs at all", [seat("A1", 10_000)], [], .noGSTRule(lineID: "A1", category: "ticket", unitPrice: 10_000)
        ),
        Case("a slab above 100 %", [seat("A1", 10_000)], [tooRich], .invalidGSTRule(tooRich)),
        Case("a line worth more than Int", [food("caviar", Int.max / 2, x: 3)], indiaGST, .amountTooLarge),
        Case(
            "a cart worth more than Int", [seat("A1", Int.max / 2 + 1), seat("A2", Int.max / 2 + 1)],
            [GSTRule(category: "ticket", cgstBasisPoints: 900, sgstBasisPoints: 900)], .amountTooLarge),
        Case(
            "the first bad line is named", [seat("A1", 10_000), seat("A2", -5), food("popcorn", 100, x: 0)], indiaGST,
            .negativeUnitPrice(lineID: "A2", unitPrice: -5)),
    ]

    @Test(arguments: cases)
    func rejects(_ bad: Case) {
        #expect(throws: bad.error) {
            try PriceCalculator.quote(lines: bad.lines, discount: .percent(basisPoints: 1_000), gst: bad.rules)
        }
    }

    @Test("Messages name what is wrong")
    func descriptions() {
        #expect(
            PricingError.noGSTRule(lineID: "beer", category: "liquor", unitPrice: 30_000).description
                == "No GST slab of category liquor covers the unit price 30000 minor units (line beer).")
        #expect(PricingError.invalidQuantity(lineID: "popcorn", quantity: 0).description.contains("popcorn"))
        #expect(PricingError.invalidGSTRule(Self.tooRich).description.contains("10001"))
    }

    @Test("Amounts far beyond any cinema cart stay exact")
    func largeCart() throws {
        // 10^15 paise (₹10 lakh crore) at 100 % off, then at 9 %: 9 × 10^13 each way.
        let lines = [seat("A1", 1_000_000_000_000_000)]
        let free = try PriceCalculator.quote(lines: lines, discount: .percent(basisPoints: 10_000), gst: indiaGST)
        #expect(free.total == 0)
        let full = try PriceCalculator.quote(lines: lines, discount: nil, gst: indiaGST)
        #expect(full.cgst == 90_000_000_000_000 && full.total == 1_180_000_000_000_000)
        expectInvariants(full)
    }
}

extension GSTRule {
    func withBounds(min: Int?, max: Int?) -> GSTRule {
        GSTRule(
            category: category, cgstBasisPoints: cgstBasisPoints, sgstBasisPoints: sgstBasisPoints,
            minUnitPrice: min, maxUnitPrice: max)
    }
}
