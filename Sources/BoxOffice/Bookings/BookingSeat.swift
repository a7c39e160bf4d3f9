import Fluent
import SQLKit
import Foundation

/// One seat of a booking, with the price, category and GST slab it was sold at. `is_active` mirrors the
/// booking's status (pending or confirmed); a partial unique index on (show, seat) over active rows is
/// the final guard against selling a seat twice.
final class BookingSeat: Model, @unchecked Sendable {
    static let schema = "booking_seats"

    @ID(key: .id) var id: UUID?
    @Parent(key: "booking_id") var booking: Booking
    @Field(key: "show_id") var showID: UUID
    @Parent(key: "seat_id") var seat: Seat
    @Field(key: "seat_label") var seatLabel: String
    @Field(key: "category_id") var categoryID: UUID
    @Field(key: "category_name") var categoryName: String
    @Field(key: "price_minor") var priceMinor: Int
    @Field(key: "discount_minor") var discountMinor: Int
    @Field(key: "cgst_bp") var cgstBasisPoints: Int
    @Field(key: "sgst_bp") var sgstBasisPoints: Int
    @Field(key: "cgst_minor") var cgstMinor: Int
    @Field(key: "sgst_minor") var sgstMinor: Int
    @Field(key: "is_active") var isActive: Bool

    init() {}
}

extension BookingSeat: InsertableRow {
    static let columns = [
        "id", "booking_id", "show_id", "seat_id", "seat_label", "category_id", "category_name", "price_minor",
        "discount_minor", "cgst_bp", "sgst_bp", "cgst_minor", "sgst_minor", "is_active",
    ]

    func markStored() { $id.exists = true }

    var values: [any SQLExpression] {
        [
            bindOrNull(id), SQLBind($booking.id), SQLBind(showID), SQLBind($seat.id), SQLBind(seatLabel),
            SQLBind(categoryID), SQLBind(categoryName), SQLBind(priceMinor), SQLBind(discountMinor),
            SQLBind(cgstBasisPoints), SQLBind(sgstBasisPoints), SQLBind(cgstMinor), SQLBind(sgstMinor),
            SQLBind(isActive),
        ]
    }
}
