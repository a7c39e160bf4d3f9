import Testing
@testable import Pricing

/// A cart priced by hand: the inputs and every figure the engine must produce.
struct WorkedExample: Sendable, CustomTestStringConvertible {
    /// What one line must come to: its slab's CGST rate (which shows the slab picked), discount share,
    /// taxable value, CGST, SGST and total.
    struct Line: Sendable {
        var bp: Int, share: Int, taxable: Int, cgst: Int, sgst: Int, total: Int
    }

    struct Totals: Sendable {
        var seats: Int, food: Int, subtotal: Int, discount: Int, taxable: Int, cgst: Int, sgst: Int, total: Int
    }

    var name: String
    var lines: [PriceLine]
    var discount: DiscountRule?
    var rules = indiaGST
    var want: [Line]
    var totals: Totals

    var testDescription: String { name }
}

@Suite("Worked examples")
struct WorkedExampleTests {
    @Test(arguments: WorkedExample.all)
    func pricesAsWorkedByHand(_ example: WorkedExample) throws {
        let quote = try PriceCalculator.quote(lines: example.lines, discount: example.discount, gst: example.rules)
        try #require(quote.lines.count == example.want.count)
        for (got, want) in zip(quote.lines, example.want) {
            #expect(got.gstRule.cgstBasisPoints == want.bp, "line \(got.id): slab")
            #expect(got.discountShare == want.share, "line \(got.id): discount share")
            #expect(got.taxable == want.taxable, "line \(got.id): taxable")
            #expect(got.cgst == want.cgst, "line \(got.id): CGST")
            #expect(got.sgst == want.sgst, "line \(got.id): SGST")
            #expect(got.total == want.total, "line \(got.id): total")
        }
        #expect(quote.lines.map(\.line) == example.lines, "lines keep their input order")
        let totals = example.totals
        #expect(quote.seatsSubtotal == totals.seats)
        #expect(quote.foodSubtotal == totals.food)
        #expect(quote.subtotal == totals.subtotal)
        #expect(quote.discount == totals.discount)
        #expect(quote.taxable == totals.taxable)
        #expect(quote.cgst == totals.cgst)
        #expect(quote.sgst == totals.sgst)
        #expect(quote.total == totals.total)
        expectInvariants(quote)
    }

    @Test(
        "The examples' discount equals DiscountRule.amount(for:) of their subtotal, as /discounts/validate shows it",
        arguments: WorkedExample.all)
    func discountMatchesValidation(_ example: WorkedExample) {
        #expect((example.discount?.amount(for: example.totals.subtotal) ?? 0) == example.totals.discount)
    }
}
