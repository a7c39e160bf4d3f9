/// What a line of a cart is: it decides whether its value counts as seats or food in the totals.
public enum LineKind: String, Sendable, Hashable, CaseIterable {
    case seat
    case food
}

/// One line of a cart, as the booking service knows it before pricing. Amounts are minor units (paise).
public struct PriceLine: Sendable, Hashable {
    /// The caller's key for the line (a seat id, a food item id); unique within a cart.
    public var id: String
    public var kind: LineKind
    /// Free text for receipts, e.g. `Gold F7` or `Popcorn (large)`. The engine ignores it.
    public var description: String
    /// The undiscounted price of one unit, ≥ 0. It also picks the GST slab.
    public var unitPrice: Int
    /// How many units, ≥ 1. Seats are always 1.
    public var quantity: Int
    /// The GST category matched against `GSTRule.category`: `ticket` for seats, the food
    /// category's GST category (e.g. `food`) for food. Compared trimmed and lower-cased.
    public var gstCategory: String

    public init(
        id: String, kind: LineKind, description: String = "", unitPrice: Int, quantity: Int = 1,
        gstCategory: String
    ) {
        self.id = id
        self.kind = kind
        self.description = description
        self.unitPrice = unitPrice
        self.quantity = quantity
        self.gstCategory = gstCategory
    }

    /// The GST category of cinema tickets.
    public static let ticketCategory = "ticket"

    /// A seat at its category's show price, taxed as `ticket`.
    public static func seat(id: String, description: String = "", price: Int) -> PriceLine {
        PriceLine(
            id: id, kind: .seat, description: description, unitPrice: price, quantity: 1,
            gstCategory: ticketCategory)
    }

    /// A food item at its unit price × quantity, taxed by its GST category.
    public static func food(
        id: String, description: String = "", unitPrice: Int, quantity: Int,
        gstCategory: String
    ) -> PriceLine {
        PriceLine(
            id: id, kind: .food, description: description, unitPrice: unitPrice, quantity: quantity,
            gstCategory: gstCategory)
    }
}
