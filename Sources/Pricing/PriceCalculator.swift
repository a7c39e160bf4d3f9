/// The pricing engine: pure, deterministic, integer-only (DESIGN §6 "Price").
///
/// 1. Each line is worth `unitPrice × quantity` (a seat: its category's show price, quantity 1).
/// 2. The discount (`DiscountRule.amount(for:)` of the subtotal, never more than it) is spread
///    over the lines in proportion to their value: `share = ⌊discount × gross / subtotal⌋`; the few
///    paise left over go to the largest line (ties: the first), then the next largest, never
///    taking a line below zero.
/// 3. Each line is taxed by the GST slab of its category that covers its undiscounted unit price:
///    CGST and SGST are each `taxable × rate`, rounded half-up to the paisa, per line.
/// 4. Total = taxable + CGST + SGST.
public enum PriceCalculator {
    /// Prices a cart.
    ///
    /// - Parameters:
    ///   - lines: the seats and food, at least one, with unique ids.
    ///   - discount: the promo code's rule, already found eligible by the caller; nil for none.
    ///   - rules: the GST slabs (the first one covering a line is used).
    /// - Throws: `PricingError` for an empty cart, a duplicate id, a negative price, a quantity
    ///   below 1, a line no slab covers, a slab with a rate outside 0–100 %, or an amount too large for `Int`.
    public static func quote(
        lines: [PriceLine], discount: DiscountRule?,
        gst rules: [GSTRule]
    ) throws(PricingError) -> PriceBreakdown {
        guard !lines.isEmpty else { throw .emptyCart }
        var seen = Set<String>()
        var grosses: [Int] = []
        var slabs: [GSTRule] = []
        var seatsSubtotal = 0, foodSubtotal = 0
        for line in lines {
            guard seen.insert(line.id).inserted else { throw .duplicateLine(id: line.id) }
            guard line.unitPrice >= 0 else { throw .negativeUnitPrice(lineID: line.id, unitPrice: line.unitPrice) }
            guard line.quantity >= 1 else { throw .invalidQuantity(lineID: line.id, quantity: line.quantity) }
            let gross = try MinorArithmetic.multiply(line.unitPrice, line.quantity)
            switch line.kind {
            case .seat: seatsSubtotal = try MinorArithmetic.add(seatsSubtotal, gross)
            case .food: foodSubtotal = try MinorArithmetic.add(foodSubtotal, gross)
            }
            grosses.append(gross)
            slabs.append(try GSTRule.first(in: rules, for: line))
        }
        let subtotal = try MinorArithmetic.add(seatsSubtotal, foodSubtotal)
        let discountAmount = discount?.amount(for: subtotal) ?? 0
        let shares = spread(discountAmount, over: grosses)

        var priced: [PricedLine] = []
        priced.reserveCapacity(lines.count)
        for (index, line) in lines.enumerated() {
            let taxable = grosses[index] - shares[index]
            let rule = slabs[index]
            let cgst = MinorArithmetic.halfUp(taxable, basisPoints: rule.cgstBasisPoints)
            let sgst = MinorArithmetic.halfUp(taxable, basisPoints: rule.sgstBasisPoints)
            let total = try MinorArithmetic.add(try MinorArithmetic.add(taxable, cgst), sgst)
            priced.append(
                PricedLine(
                    line: line, gross: grosses[index], discountShare: shares[index],
                    taxable: taxable, gstRule: rule, cgst: cgst, sgst: sgst, total: total))
        }
        let taxable = subtotal - discountAmount
        let cgst = try MinorArithmetic.sum(priced.lazy.map(\.cgst))
        let sgst = try MinorArithmetic.sum(priced.lazy.map(\.sgst))
        let total = try MinorArithmetic.add(try MinorArithmetic.add(taxable, cgst), sgst)
        return PriceBreakdown(
            lines: priced, seatsSubtotal: seatsSubtotal, foodSubtotal: foodSubtotal,
            subtotal: subtotal, discount: discountAmount, taxable: taxable,
            cgst: cgst, sgst: sgst, total: total)
    }

    /// Spreads `discount` over lines worth `grosses` (each ≥ 0; `discount ≤ Σ grosses`) in
    /// proportion to their value. Shares sum to exactly `discount`, and no share exceeds its line.
    ///
    /// `share_i = ⌊discount × gross_i / Σ gross⌋`; the remainder (fewer paise than there are lines)
    /// goes to the largest line, ties to the first in order, as far as that line has room; what
    /// does not fit goes on to the next largest. When `discount == Σ gross` every share is its gross.
    static func spread(_ discount: Int, over grosses: [Int]) -> [Int] {
        let whole = grosses.reduce(0, +)
        precondition(discount >= 0 && discount <= whole && grosses.allSatisfy { $0 >= 0 })
        guard discount > 0 else { return Array(repeating: 0, count: grosses.count) }
        var shares = grosses.map { MinorArithmetic.floorShare(of: discount, part: $0, whole: whole) }
        var remainder = discount - shares.reduce(0, +)
        guard remainder > 0 else { return shares }
        let largestFirst = grosses.indices.sorted { grosses[$0] != grosses[$1] ? grosses[$0] > grosses[$1] : $0 < $1 }
        for index in largestFirst where remainder > 0 {
            let extra = min(remainder, grosses[index] - shares[index])
            shares[index] += extra
            remainder -= extra
        }
        assert(remainder == 0, "the lines have room for the whole discount")
        return shares
    }
}
