import Fluent
import SQLKit
import Foundation
import Rules

/// A customer's order for one show: its seats, its food and the full price breakdown, in minor units.
final class Booking: Model, @unchecked Sendable {
    static let schema = "bookings"

    @ID(key: .id) var id: UUID?
    /// Short human reference printed on tickets, e.g. `BX-7K2M9Q`.
    @Field(key: "reference") var reference: String
    @Parent(key: "user_id") var user: User
    @Parent(key: "show_id") var show: Show
    @Field(key: "status") var status: BookingStatus
    /// The hold this booking was made from (unique): booking the same hold again returns this booking.
    @OptionalField(key: "hold_id") var holdID: UUID?
    @OptionalField(key: "promo_code") var promoCode: String?
    @OptionalParent(key: "discount_id") var discount: Discount?
    @Field(key: "seats_subtotal_minor") var seatsSubtotalMinor: Int
    @Field(key: "food_subtotal_minor") var foodSubtotalMinor: Int
    @Field(key: "subtotal_minor") var subtotalMinor: Int
    @Field(key: "discount_minor") var discountMinor: Int
    @Field(key: "taxable_minor") var taxableMinor: Int
    @Field(key: "cgst_minor") var cgstMinor: Int
    @Field(key: "sgst_minor") var sgstMinor: Int
    @Field(key: "total_minor") var totalMinor: Int
    @Field(key: "currency") var currency: String
    @Field(key: "payment_due_by") var paymentDueBy: Date
    @Field(key: "created_at") var createdAt: Date
    @Field(key: "updated_at") var updatedAt: Date
    /// How many times it was exchanged (at most `EXCHANGE_MAX`); 0 when inserted (the column's default).
    @OptionalField(key: "exchange_count") var storedExchangeCount: Int?

    var exchangeCount: Int { storedExchangeCount ?? 0 }

    init() {}

    /// The status a reader sees: a PENDING booking past its payment window is EXPIRED, whether or not the expiry job
    /// has written it yet (reads never write).
    func effectiveStatus(at now: Date) -> BookingStatus {
        Self.effectiveStatus(status, paymentDueBy: paymentDueBy, at: now)
    }

    /// The same rule for a booking read without its model (`BookingDetails`).
    static func effectiveStatus(_ status: BookingStatus, paymentDueBy: Date, at now: Date) -> BookingStatus {
        status == .pending && paymentDueBy <= now ? .expired : status
    }
}

extension Booking: InsertableRow {
    static let columns = [
        "id", "reference", "user_id", "show_id", "status", "hold_id", "promo_code", "discount_id",
        "seats_subtotal_minor", "food_subtotal_minor", "subtotal_minor", "discount_minor", "taxable_minor",
        "cgst_minor", "sgst_minor", "total_minor", "currency", "payment_due_by", "created_at", "updated_at",
    ]

    func markStored() { $id.exists = true }

    var values: [any SQLExpression] {
        [
            bindOrNull(id), SQLBind(reference), SQLBind($user.id), SQLBind($show.id), SQLBind(status),
            bindOrNull(holdID), bindOrNull(promoCode), bindOrNull($discount.id), SQLBind(seatsSubtotalMinor),
            SQLBind(foodSubtotalMinor), SQLBind(subtotalMinor), SQLBind(discountMinor), SQLBind(taxableMinor),
            SQLBind(cgstMinor), SQLBind(sgstMinor), SQLBind(totalMinor), SQLBind(currency), SQLBind(paymentDueBy),
            SQLBind(createdAt), SQLBind(updatedAt),
        ]
    }
}
