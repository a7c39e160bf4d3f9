import Foundation
import Rules
import Vapor

/// Why a ticket cannot be issued or admitted.
enum TicketError: DomainError {
    /// A ticket is only for a confirmed booking.
    case notConfirmed(BookingStatus)
    /// Not a code this cinema signed, or not for a booking it knows.
    case invalid
    /// The booking was exchanged since this ticket was issued: its new ticket admits instead.
    case superseded
    case alreadyAdmitted(at: Date)
    case notAdmissible(BookingStatus)
    /// The window's bounds, said in cinema time.
    case outsideWindow(opens: String, closes: String)

    var status: HTTPResponseStatus {
        if case .invalid = self { return .unprocessableEntity }
        return .conflict
    }

    var code: ErrorCode {
        switch self {
        case .notConfirmed: return .bookingNotConfirmed
        case .invalid: return .invalidTicket
        case .superseded: return .superseded
        case .alreadyAdmitted: return .alreadyAdmitted
        case .notAdmissible: return .notAdmissible
        case .outsideWindow: return .outsideWindow
        }
    }

    var detail: String {
        switch self {
        case .notConfirmed(let status):
            return "Only a confirmed booking has a ticket; this one is \(status.rawValue)."
        case .invalid: return "This is not a valid ticket."
        case .superseded:
            return "This ticket was replaced when the booking was exchanged; show the booking's new ticket."
        case .alreadyAdmitted: return "This ticket was already admitted."
        case .notAdmissible(let status): return "This booking is \(status.rawValue); its ticket does not admit."
        case .outsideWindow(let opens, let closes):
            return "Admission for this show is from \(opens) until \(closes) (cinema time)."
        }
    }

    var bookingStatus: BookingStatus? {
        switch self {
        case .notConfirmed(let status), .notAdmissible(let status): return status
        default: return nil
        }
    }

    var admittedAt: Date? {
        if case .alreadyAdmitted(let at) = self { return at }
        return nil
    }
}
