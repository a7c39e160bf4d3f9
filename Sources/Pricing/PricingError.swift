/// Why a cart cannot be priced. Line-level cases name the line by its `PriceLine.id`.
public enum PricingError: Error, Equatable, Hashable, Sendable, CustomStringConvertible {
    /// A quote needs at least one line.
    case emptyCart
    /// Two lines share an `id`; merge food quantities before quoting.
    case duplicateLine(id: String)
    /// A unit price below zero (zero is allowed: a complimentary seat).
    case negativeUnitPrice(lineID: String, unitPrice: Int)
    /// A quantity below one.
    case invalidQuantity(lineID: String, quantity: Int)
    /// No GST slab of the line's category covers its (undiscounted) unit price.
    case noGSTRule(lineID: String, category: String, unitPrice: Int)
    /// The slab that matched has a rate outside 0…10 000 bp (0–100 %).
    case invalidGSTRule(GSTRule)
    /// An amount does not fit in `Int` minor units.
    case amountTooLarge

    public var description: String {
        switch self {
        case .emptyCart:
            "There is nothing to price: the cart has no lines."
        case .duplicateLine(let id):
            "The line \(id) appears more than once."
        case .negativeUnitPrice(let lineID, let unitPrice):
            "The line \(lineID) has a negative unit price (\(unitPrice) minor units)."
        case .invalidQuantity(let lineID, let quantity):
            "The line \(lineID) has quantity \(quantity); it must be at least 1."
        case .noGSTRule(let lineID, let category, let unitPrice):
            "No GST slab of category \(category) covers the unit price \(unitPrice) minor units (line \(lineID))."
        case .invalidGSTRule(let rule):
            "The GST slab of \(rule.category) has CGST \(rule.cgstBasisPoints) bp and SGST \(rule.sgstBasisPoints) bp; "
                + "each must be from 0 to 10000."
        case .amountTooLarge:
            "An amount is too large to price."
        }
    }
}
