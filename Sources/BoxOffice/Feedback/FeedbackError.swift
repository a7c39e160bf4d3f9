import Foundation
import Rules

/// Why feedback could not be left.
enum FeedbackError: DomainError {
    /// Only a paid-for (CONFIRMED) booking may be rated: not a pending, expired or cancelled one.
    case bookingNotConfirmed(BookingStatus)
    /// Feedback is about a show the customer saw, so not before it starts.
    case showNotStarted
    /// One per booking.
    case exists

    var code: ErrorCode {
        switch self {
        case .bookingNotConfirmed: return .bookingNotConfirmed
        case .showNotStarted: return .showNotStarted
        case .exists: return .feedbackExists
        }
    }

    var detail: String {
        switch self {
        case .bookingNotConfirmed(let status):
            return "Only a confirmed booking can get feedback; this one is \(status.rawValue)."
        case .showNotStarted: return "Feedback opens when the show starts."
        case .exists: return "This booking already has feedback."
        }
    }
}
