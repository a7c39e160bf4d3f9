import Fluent
import Foundation

enum ExchangeStatus: String, Codable, Sendable, CaseIterable {
    /// Costs more: waiting for the difference to be paid before `due_by`.
    case awaitingPayment = "AWAITING_PAYMENT"
    /// Swapped: the booking has the new show and seats.
    case completed = "COMPLETED"
    /// Not paid in time, replaced by a newer exchange, or its seats or booking changed first: nothing was swapped.
    case lapsed = "LAPSED"
}

/// One exchange of a booking to another show or other seats: what it moves from and to, the new price breakdown as
/// the swap will write it (`plan`), and the money: `difference_minor` = new total + fee − old total (positive: to
/// pay; negative: refunded).
final class BookingExchange: Model, @unchecked Sendable {
    static let schema = "booking_exchanges"

    @ID(key: .id) var id: UUID?
    @Parent(key: "booking_id") var booking: Booking
    @Parent(key: "user_id") var user: User
    @Field(key: "from_show_id") var fromShowID: UUID
    @Field(key: "to_show_id") var toShowID: UUID
    @Field(key: "hold_id") var holdID: UUID
    @Field(key: "status") var status: ExchangeStatus
    /// The booking's exchange count when this was quoted: the swap happens only if it is still that.
    @Field(key: "sequence") var sequence: Int
    @Field(key: "old_total_minor") var oldTotalMinor: Int
    @Field(key: "new_total_minor") var newTotalMinor: Int
    @Field(key: "fee_minor") var feeMinor: Int
    @Field(key: "difference_minor") var differenceMinor: Int
    /// `ExchangePlan` as JSON.
    @Field(key: "plan") var planJSON: String
    @Field(key: "due_by") var dueBy: Date
    @OptionalField(key: "outcome") var outcome: String?
    @Field(key: "created_at") var createdAt: Date
    @OptionalField(key: "completed_at") var completedAt: Date?

    init() {}

    var plan: ExchangePlan {
        get throws { try JSONDecoder().decode(ExchangePlan.self, from: Data(planJSON.utf8)) }
    }
}

/// What the swap writes: the new seat rows, the new shares of discount and GST on the booking's food rows, and the
/// booking's new breakdown.
struct ExchangePlan: Codable, Sendable {
    struct Seat: Codable, Sendable {
        var seatID: UUID
        var label: String
        var categoryID: UUID
        var categoryName: String
        var priceMinor: Int
        var discountMinor: Int
        var cgstBasisPoints: Int
        var sgstBasisPoints: Int
        var cgstMinor: Int
        var sgstMinor: Int
    }

    struct Food: Codable, Sendable {
        /// The `booking_foods` row.
        var id: UUID
        var discountMinor: Int
        var cgstBasisPoints: Int
        var sgstBasisPoints: Int
        var cgstMinor: Int
        var sgstMinor: Int
    }

    /// The food the booking will have instead of its own, when the exchange changes it (`foods` in the request).
    struct NewFood: Codable, Sendable {
        var foodItemID: UUID
        var name: String
        var quantity: Int
        var unitPriceMinor: Int
        var discountMinor: Int
        var cgstBasisPoints: Int
        var sgstBasisPoints: Int
        var cgstMinor: Int
        var sgstMinor: Int
    }

    var seats: [Seat]
    /// The booking's own food rows with their new shares (empty when `newFoods` replaces them).
    var foods: [Food]
    var newFoods: [NewFood]?
    var seatsSubtotalMinor: Int
    var foodSubtotalMinor: Int
    var subtotalMinor: Int
    var discountMinor: Int
    var taxableMinor: Int
    var cgstMinor: Int
    var sgstMinor: Int
    var totalMinor: Int
}
