import Fluent
import Foundation

enum DiscountType: String, Codable, Sendable, CaseIterable {
    /// `percent` of the subtotal, optionally capped by `max_discount_minor`.
    case percent
    /// A fixed `flat_amount_minor`.
    case flat
}

/// A promo code. `times_used` counts completed redemptions (written by payments); the per-user limit
/// counts rows of `discount_redemptions`.
final class Discount: Model, @unchecked Sendable {
    static let schema = "discounts"

    @ID(key: .id) var id: UUID?
    /// Stored upper-cased and unique, so `save10` and `SAVE10` are the same code.
    @Field(key: "promo_code") var promoCode: String
    @OptionalField(key: "description") var description: String?
    @Field(key: "discount_type") var discountType: DiscountType
    @OptionalField(key: "percent_bp") var percentBasisPoints: Int?
    @OptionalField(key: "max_discount_minor") var maxDiscountMinor: Int?
    @OptionalField(key: "flat_amount_minor") var flatAmountMinor: Int?
    @Field(key: "min_subtotal_minor") var minSubtotalMinor: Int
    /// Valid from `starts_at` (inclusive) until `ends_at` (exclusive); nil = open.
    @OptionalField(key: "starts_at") var startsAt: Date?
    @OptionalField(key: "ends_at") var endsAt: Date?
    @Field(key: "is_active") var isActive: Bool
    @OptionalField(key: "usage_limit_total") var usageLimitTotal: Int?
    @OptionalField(key: "usage_limit_per_user") var usageLimitPerUser: Int?
    /// Scope: at most one of movie and show; neither means every show.
    @OptionalParent(key: "movie_id") var movie: Movie?
    @OptionalParent(key: "show_id") var show: Show?
    @Field(key: "times_used") var timesUsed: Int
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?
    @Timestamp(key: "updated_at", on: .update) var updatedAt: Date?

    init() {}
}
