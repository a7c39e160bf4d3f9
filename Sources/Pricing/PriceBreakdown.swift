/// One priced line. All amounts are minor units (paise).
///
/// `gross = unitPrice × quantity`, `taxable = gross − discountShare`,
/// `cgst = ⌊taxable × gstRule.cgstBasisPoints / 10 000⌉` (half-up), `sgst` likewise,
/// `total = taxable + cgst + sgst`.
public struct PricedLine: Sendable, Hashable {
    /// The line as it was given.
    public let line: PriceLine
    /// `unitPrice × quantity`.
    public let gross: Int
    /// This line's part of the cart's discount, 0…`gross`.
    public let discountShare: Int
    /// `gross − discountShare`: the value GST is charged on.
    public let taxable: Int
    /// The slab that taxed the line, chosen by its category and undiscounted unit price.
    public let gstRule: GSTRule
    public let cgst: Int
    public let sgst: Int
    /// `taxable + cgst + sgst`.
    public let total: Int

    public var id: String { line.id }
    public var kind: LineKind { line.kind }
    public var unitPrice: Int { line.unitPrice }
    public var quantity: Int { line.quantity }
}

/// A priced cart: its lines, in input order, and its totals. All amounts are minor units (paise).
///
/// Always: `discount == Σ discountShare`, `taxable == subtotal − discount == Σ taxable`,
/// `cgst == Σ cgst`, `sgst == Σ sgst`, `total == taxable + cgst + sgst == Σ total`, and no amount is negative.
public struct PriceBreakdown: Sendable, Hashable {
    public let lines: [PricedLine]
    /// Σ gross of the seat lines.
    public let seatsSubtotal: Int
    /// Σ gross of the food lines.
    public let foodSubtotal: Int
    /// `seatsSubtotal + foodSubtotal`.
    public let subtotal: Int
    /// The discount taken off, 0…`subtotal`.
    public let discount: Int
    /// `subtotal − discount`.
    public let taxable: Int
    public let cgst: Int
    public let sgst: Int
    /// `taxable + cgst + sgst`: what the customer pays.
    public let total: Int

    /// `cgst + sgst`.
    public var gst: Int { cgst + sgst }
}
