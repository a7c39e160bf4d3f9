import Testing
@testable import Pricing

/// India's slabs, as the demo seeds them: tickets 6 % + 6 % up to ₹100.00, 9 % + 9 % above; food 2.5 % + 2.5 %.
let indiaGST = [
    GSTRule(category: "ticket", cgstBasisPoints: 600, sgstBasisPoints: 600, minUnitPrice: 0, maxUnitPrice: 10_000),
    GSTRule(category: "ticket", cgstBasisPoints: 900, sgstBasisPoints: 900, minUnitPrice: 10_001),
    GSTRule(category: "food", cgstBasisPoints: 250, sgstBasisPoints: 250, minUnitPrice: 0),
]

func seat(_ id: String, _ price: Int) -> PriceLine { .seat(id: id, description: "Seat \(id)", price: price) }

func food(_ id: String, _ unitPrice: Int, x quantity: Int = 1, gst: String = "food") -> PriceLine {
    .food(id: id, description: id, unitPrice: unitPrice, quantity: quantity, gstCategory: gst)
}

/// The invariants every breakdown keeps, checked line by line and in total.
func expectInvariants(_ quote: PriceBreakdown, sourceLocation: SourceLocation = #_sourceLocation) {
    let lines = quote.lines
    func sum(_ amount: (PricedLine) -> Int) -> Int { lines.reduce(0) { $0 + amount($1) } }
    #expect(sum(\.discountShare) == quote.discount, "Σ shares == discount", sourceLocation: sourceLocation)
    #expect(
        quote.taxable == quote.subtotal - quote.discount, "taxable == subtotal − discount",
        sourceLocation: sourceLocation)
    #expect(sum(\.taxable) == quote.taxable, "Σ line taxable == taxable", sourceLocation: sourceLocation)
    #expect(sum(\.cgst) == quote.cgst && sum(\.sgst) == quote.sgst, "Σ line GST == GST", sourceLocation: sourceLocation)
    #expect(
        quote.total == quote.taxable + quote.cgst + quote.sgst, "total == taxable + CGST + SGST",
        sourceLocation: sourceLocation)
    #expect(sum(\.total) == quote.total, "Σ line totals == total", sourceLocation: sourceLocation)
    #expect(
        quote.seatsSubtotal == lines.filter { $0.kind == .seat }.reduce(0) { $0 + $1.gross }
            && quote.foodSubtotal == lines.filter { $0.kind == .food }.reduce(0) { $0 + $1.gross }
            && quote.subtotal == quote.seatsSubtotal + quote.foodSubtotal, "subtotals add up",
        sourceLocation: sourceLocation)
    #expect(quote.discount <= quote.subtotal, "discount ≤ subtotal", sourceLocation: sourceLocation)
    for line in lines {
        #expect(
            line.gross == line.unitPrice * line.quantity && line.taxable == line.gross - line.discountShare
                && line.total == line.taxable + line.cgst + line.sgst, "line \(line.id) adds up",
            sourceLocation: sourceLocation)
        #expect(line.discountShare <= line.gross, "line \(line.id): share ≤ gross", sourceLocation: sourceLocation)
        let amounts = [line.gross, line.discountShare, line.taxable, line.cgst, line.sgst, line.total]
        #expect(amounts.allSatisfy { $0 >= 0 }, "line \(line.id): no negative amount", sourceLocation: sourceLocation)
    }
    let totals = [
        quote.seatsSubtotal, quote.foodSubtotal, quote.subtotal, quote.discount, quote.taxable,
        quote.cgst, quote.sgst, quote.total,
    ]
    #expect(totals.allSatisfy { $0 >= 0 }, "no negative total", sourceLocation: sourceLocation)
}
