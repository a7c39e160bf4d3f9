/// Exact integer arithmetic on amounts in minor units (paise). No `Double` anywhere.
///
/// Products that could exceed `Int` (an amount times basis points, a discount times a line's
/// value) are taken at double width, so they never overflow; sums are checked and report
/// `PricingError.amountTooLarge` instead of trapping.
enum MinorArithmetic {
    /// Basis points in one whole: 100 % = 10 000 bp.
    static let basisPointsPerWhole = 10_000

    /// `amount × basisPoints / 10 000`, rounded half-up to the minor unit:
    /// `(amount × bp + 5 000) / 10 000`. Both inputs must be non-negative and `basisPoints ≤ 10 000`,
    /// so the result is at most `amount`.
    static func halfUp(_ amount: Int, basisPoints: Int) -> Int {
        precondition(amount >= 0 && (0...basisPointsPerWhole).contains(basisPoints))
        let product = amount.multipliedFullWidth(by: basisPoints)
        let (low, carry) = product.low.addingReportingOverflow(UInt(basisPointsPerWhole / 2))
        let high = product.high + (carry ? 1 : 0)
        return basisPointsPerWhole.dividingFullWidth((high: high, low: low)).quotient
    }

    /// `⌊amount × part / whole⌋` for `0 ≤ part ≤ whole`, `whole > 0`, `amount ≥ 0`;
    /// at most `amount`, so it always fits.
    static func floorShare(of amount: Int, part: Int, whole: Int) -> Int {
        precondition(amount >= 0 && part >= 0 && part <= whole && whole > 0)
        let product = amount.multipliedFullWidth(by: part)
        return whole.dividingFullWidth(product).quotient
    }

    /// `a + b`, or `amountTooLarge` when it does not fit in `Int`.
    static func add(_ a: Int, _ b: Int) throws(PricingError) -> Int {
        let (sum, overflow) = a.addingReportingOverflow(b)
        guard !overflow else { throw .amountTooLarge }
        return sum
    }

    /// `a × b`, or `amountTooLarge` when it does not fit in `Int`.
    static func multiply(_ a: Int, _ b: Int) throws(PricingError) -> Int {
        let (product, overflow) = a.multipliedReportingOverflow(by: b)
        guard !overflow else { throw .amountTooLarge }
        return product
    }

    /// The sum of `values`, or `amountTooLarge`.
    static func sum(_ values: some Sequence<Int>) throws(PricingError) -> Int {
        var total = 0
        for value in values { total = try add(total, value) }
        return total
    }
}
