import Fluent
import Foundation

/// One use of a promo code by a user. Written by the payments work when a payment completes
/// (together with `discounts.times_used`); read today by the per-user limit check.
final class DiscountRedemption: Model, @unchecked Sendable {
    static let schema = "discount_redemptions"

    @ID(key: .id) var id: UUID?
    @Parent(key: "discount_id") var discount: Discount
    @Parent(key: "user_id") var user: User
    /// The booking that used the code; unique, so one booking redeems at most once.
    @OptionalField(key: "booking_id") var bookingID: UUID?
    @Field(key: "redeemed_at") var redeemedAt: Date

    init() {}

    init(id: UUID? = nil, discountID: UUID, userID: UUID, bookingID: UUID? = nil, redeemedAt: Date) {
        self.id = id
        self.$discount.id = discountID
        self.$user.id = userID
        self.bookingID = bookingID
        self.redeemedAt = redeemedAt
    }
}
