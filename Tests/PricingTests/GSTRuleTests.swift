import Testing
@testable import Pricing

@Suite("GST slabs")
struct GSTRuleTests {
    @Test("Bounds are inclusive; nil is open")
    func covers() {
        let low = indiaGST[0], high = indiaGST[1]
        #expect(low.covers(category: "ticket", unitPrice: 0) && low.covers(category: "ticket", unitPrice: 10_000))
        #expect(!low.covers(category: "ticket", unitPrice: 10_001) && !low.covers(category: "ticket", unitPrice: -1))
        #expect(
            high.covers(category: "ticket", unitPrice: 10_001) && high.covers(category: "ticket", unitPrice: Int.max))
        #expect(!high.covers(category: "food", unitPrice: 20_000))
        #expect(
            GSTRule(category: "food", cgstBasisPoints: 250, sgstBasisPoints: 250).covers(category: "food", unitPrice: 0)
        )
    }

    @Test("Categories compare trimmed and lower-cased, as the app stores them")
    func normalizedCategories() {
        #expect(GSTRule.normalizedCategory("  Food\n") == "food")
        #expect(GSTRule.normalizedCategory("TICKET") == "ticket")
        #expect(GSTRule.normalizedCategory("soft drinks") == "soft drinks")
        #expect(GSTRule.normalizedCategory(" \t ") == "")
        #expect(GSTRule(category: " Ticket ", cgstBasisPoints: 600, sgstBasisPoints: 600).category == "ticket")
        #expect(indiaGST[2].covers(category: "FOOD ", unitPrice: 500))
    }

    @Test("The first slab that covers a line wins; unused slabs are not checked")
    func firstCoveringSlab() throws {
        let rules =
            [PricingErrorTests.tooRich.withBounds(min: 50_000, max: nil)] + indiaGST
            + [GSTRule(category: "ticket", cgstBasisPoints: 1_400, sgstBasisPoints: 1_400)]
        let quote = try PriceCalculator.quote(lines: [seat("A1", 10_000)], discount: nil, gst: rules)
        #expect(quote.lines[0].gstRule == indiaGST[0])
    }
}
