import Fluent
import Foundation

/// One food line of a booking.
final class BookingFood: Model, @unchecked Sendable {
    static let schema = "booking_foods"

    @ID(key: .id) var id: UUID?
    @Parent(key: "booking_id") var booking: Booking
    @Parent(key: "food_item_id") var foodItem: FoodItem
    @Field(key: "name") var name: String
    @Field(key: "quantity") var quantity: Int
    @Field(key: "unit_price_minor") var unitPriceMinor: Int
    @Field(key: "discount_minor") var discountMinor: Int
    @Field(key: "cgst_bp") var cgstBasisPoints: Int
    @Field(key: "sgst_bp") var sgstBasisPoints: Int
    @Field(key: "cgst_minor") var cgstMinor: Int
    @Field(key: "sgst_minor") var sgstMinor: Int

    init() {}
}
