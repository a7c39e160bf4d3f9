import Foundation
import Vapor

/// `POST /bookings/{id}/exchange`: the caller's live hold on the new show (or other seats of the same one).
struct ExchangeRequest: Content {
    var lockId: UUID
    /// Left out, the booking's food moves with it as bought; given (an empty list too), it replaces the booking's food
    /// at today's prices and stock.
    var foods: [CreateBookingRequest.FoodLine]?
}

/// What an exchange came to, with the booking as it is now (swapped, or unchanged while the difference is unpaid).
struct ExchangeResponse: Content {
    var exchangeId: UUID
    var status: ExchangeStatus
    var fromShowId: UUID
    var toShowId: UUID
    var oldTotalMinor: Int
    var newTotalMinor: Int
    var feeMinor: Int
    /// New total + fee − old total: positive is to pay (`POST /payments` with the booking), negative was refunded.
    var differenceMinor: Int
    var refundMinor: Int
    /// AWAITING_PAYMENT: pay the difference before this, or the exchange lapses and nothing changes.
    var dueBy: Date?
    var booking: BookingResponse

    init(_ outcome: ExchangeService.Outcome, booking: BookingResponse) throws {
        let exchange = outcome.exchange
        exchangeId = try exchange.requireID()
        status = exchange.status
        fromShowId = exchange.fromShowID
        toShowId = exchange.toShowID
        oldTotalMinor = exchange.oldTotalMinor
        newTotalMinor = exchange.newTotalMinor
        feeMinor = exchange.feeMinor
        differenceMinor = exchange.differenceMinor
        refundMinor = outcome.refunded
        dueBy = exchange.status == .awaitingPayment ? exchange.dueBy : nil
        self.booking = booking
    }
}
