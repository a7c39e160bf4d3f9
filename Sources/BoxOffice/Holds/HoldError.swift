import Foundation

/// Why a hold could not be placed or changed.
enum HoldError: DomainError {
    /// Seats someone else holds or has booked (`labels` for people, `seats` for clients).
    case seatsUnavailable(seats: [UUID], labels: [String], booked: Bool)
    /// A best-available choice lost its race three times.
    case chosenSeatsTaken
    case showNotOnSale
    case noBlockAvailable(count: Int, accessible: Bool)
    case extensionLimit

    var code: ErrorCode {
        switch self {
        case .seatsUnavailable, .chosenSeatsTaken: return .seatsUnavailable
        case .showNotOnSale: return .showNotOnSale
        case .noBlockAvailable: return .noBlockAvailable
        case .extensionLimit: return .holdExtensionLimit
        }
    }

    var detail: String {
        switch self {
        case .seatsUnavailable(_, let labels, let booked):
            return
                "Seat(s) \(labels.joined(separator: ", ")) are \(booked ? "booked" : "held or booked by someone else")."
        case .chosenSeatsTaken: return "The seats chosen were taken while holding them; try again."
        case .showNotOnSale: return "This show is cancelled or has started."
        case .noBlockAvailable(let count, let accessible):
            return "No \(count) adjacent seats fit\(accessible ? " with wheelchair access" : "")."
        case .extensionLimit: return "This hold cannot be extended further; hold the seats again."
        }
    }

    var seatIds: [UUID]? {
        if case .seatsUnavailable(let seats, _, _) = self { return seats }
        return nil
    }
}
