/// How much a promo code takes off a subtotal. Eligibility (active flag, validity window, minimum
/// subtotal, movie/show scope, usage limits) is the app's to check; this only computes the amount.
public enum DiscountRule: Sendable, Hashable {
    /// `basisPoints` of the subtotal (10 % = 1 000), rounded half-up to the paisa, then capped
    /// at `cap` minor units (a promo code's `max_discount_minor`) when there is one.
    case percent(basisPoints: Int, cap: Int? = nil)
    /// A fixed amount in minor units (a promo code's `flat_amount_minor`).
    case flat(Int)

    /// The discount on `subtotal` (minor units): never negative, never more than the subtotal.
    ///
    /// Percent: `min((subtotal × bp + 5 000) / 10 000, cap, subtotal)`. Flat: `min(amount, subtotal)`.
    /// Out-of-range inputs are clamped rather than rejected: a negative subtotal, rate, cap or flat
    /// amount counts as 0, and a rate above 100 % counts as 100 %.
    /// `POST /discounts/validate` and the booking quote both use this.
    public func amount(for subtotal: Int) -> Int {
        let subtotal = max(subtotal, 0)
        switch self {
        case .percent(let basisPoints, let cap):
            let rate = min(max(basisPoints, 0), MinorArithmetic.basisPointsPerWhole)
            let computed = MinorArithmetic.halfUp(subtotal, basisPoints: rate)
            return min(computed, max(cap ?? computed, 0))
        case .flat(let amount):
            return min(max(amount, 0), subtotal)
        }
    }
}
