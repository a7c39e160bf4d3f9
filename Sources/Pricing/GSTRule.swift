/// One GST slab: the CGST and SGST rates of a GST category for undiscounted unit prices from
/// `minUnitPrice` to `maxUnitPrice`, both inclusive (nil = open). Mirrors a `gst_rates` row.
///
/// India's rates: `ticket` 6 % + 6 % up to ₹100 (`maxUnitPrice: 10_000`), 9 % + 9 % above
/// (`minUnitPrice: 10_001`); `food` 2.5 % + 2.5 % (250 bp each).
public struct GSTRule: Sendable, Hashable {
    /// Trimmed and lower-cased, e.g. `ticket` or `food`.
    public let category: String
    /// CGST rate in basis points (6 % = 600), 0…10 000.
    public let cgstBasisPoints: Int
    /// SGST rate in basis points, 0…10 000.
    public let sgstBasisPoints: Int
    /// The lowest unit price (minor units) this slab covers; nil = no lower bound.
    public let minUnitPrice: Int?
    /// The highest unit price (minor units) this slab covers; nil = no upper bound.
    public let maxUnitPrice: Int?

    public init(
        category: String, cgstBasisPoints: Int, sgstBasisPoints: Int,
        minUnitPrice: Int? = nil, maxUnitPrice: Int? = nil
    ) {
        self.category = Self.normalizedCategory(category)
        self.cgstBasisPoints = cgstBasisPoints
        self.sgstBasisPoints = sgstBasisPoints
        self.minUnitPrice = minUnitPrice
        self.maxUnitPrice = maxUnitPrice
    }

    /// Whether this slab taxes a line of `category` whose undiscounted unit price is `unitPrice`.
    public func covers(category: String, unitPrice: Int) -> Bool {
        covers(normalizedCategory: Self.normalizedCategory(category), unitPrice: unitPrice)
    }

    /// `covers` for a category already normalised: the quote normalises each line's once, not once per slab.
    func covers(normalizedCategory category: String, unitPrice: Int) -> Bool {
        self.category == category && (minUnitPrice ?? Int.min) <= unitPrice && unitPrice <= (maxUnitPrice ?? Int.max)
    }

    /// Whether both rates are real percentages (0–100 %).
    var hasValidRates: Bool {
        let valid = 0...MinorArithmetic.basisPointsPerWhole
        return valid.contains(cgstBasisPoints) && valid.contains(sgstBasisPoints)
    }

    /// GST categories compare trimmed and lower-cased, as the app stores them: `Food ` is `food`.
    public static func normalizedCategory(_ raw: String) -> String {
        // The common case, already trimmed lower-case ASCII, is returned as it is, without allocating.
        if raw.utf8.allSatisfy({ (0x61...0x7a).contains($0) || (0x30...0x39).contains($0) || $0 == 0x5f || $0 == 0x2d })
        {
            return raw
        }
        let trimmed = raw.drop(while: \.isWhitespace).reversed().drop(while: \.isWhitespace).reversed()
        return String(trimmed).lowercased()
    }

    /// The first slab in `rules` that covers the line, in the order given.
    /// The app keeps slabs of one category from overlapping, so at most one matches.
    static func first(in rules: [GSTRule], for line: PriceLine) throws(PricingError) -> GSTRule {
        let category = normalizedCategory(line.gstCategory)
        guard let rule = rules.first(where: { $0.covers(normalizedCategory: category, unitPrice: line.unitPrice) })
        else {
            throw .noGSTRule(
                lineID: line.id, category: normalizedCategory(line.gstCategory),
                unitPrice: line.unitPrice)
        }
        guard rule.hasValidRates else { throw .invalidGSTRule(rule) }
        return rule
    }
}
