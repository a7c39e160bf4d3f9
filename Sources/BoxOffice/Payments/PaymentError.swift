import Rules

/// Why a payment, refund or cancellation could not go ahead.
enum PaymentError: DomainError {
    case bookingNotPayable(BookingStatus)
    /// Two requests opened a payment at once and neither can be found; the client retries.
    case openPaymentRace
    case paymentCompleted
    case paymentNotCompleted
    case paymentNotPending
    case refundExceedsPayment(left: Int, paid: Int)
    case refundRaced
    case bookingExpired
    case tooLateToCancel

    var code: ErrorCode {
        switch self {
        case .bookingNotPayable: return .bookingNotPayable
        case .openPaymentRace: return .paymentConflict
        case .paymentCompleted: return .paymentCompleted
        case .paymentNotCompleted: return .paymentNotCompleted
        case .paymentNotPending: return .paymentNotPending
        case .refundExceedsPayment, .refundRaced: return .refundExceedsPayment
        case .bookingExpired: return .bookingExpired
        case .tooLateToCancel: return .tooLateToCancel
        }
    }

    var detail: String {
        switch self {
        case .bookingNotPayable(let status):
            return "Only a pending booking can be paid; this one is \(status.rawValue)."
        case .openPaymentRace: return "Retry the request."
        case .paymentCompleted: return "A completed payment is part of the ledger and cannot be deleted."
        case .paymentNotCompleted: return "Only a completed payment can be refunded."
        case .paymentNotPending: return "Only a pending payment can be simulated."
        case .refundExceedsPayment(let left, let paid): return "Only \(left) of \(paid) is left to refund."
        case .refundRaced: return "Another refund took what was left of this payment."
        case .bookingExpired: return "This booking expired unpaid; there is nothing to cancel."
        case .tooLateToCancel: return "This booking can no longer be cancelled."
        }
    }
}
