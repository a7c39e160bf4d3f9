import Foundation
import Rules

/// Why a booking cannot be exchanged (all 409s but the promo code's, which keeps its own code).
enum ExchangeError: DomainError {
    case notExchangeable(BookingStatus)
    case closed(minutes: Int)
    case limit(Int)
    case swapRefused(String)

    var code: ErrorCode {
        switch self {
        case .notExchangeable: return .notExchangeable
        case .closed: return .exchangeClosed
        case .limit: return .exchangeLimit
        case .swapRefused: return .exchangeRefused
        }
    }

    var detail: String {
        switch self {
        case .notExchangeable(let status):
            return "Only a confirmed booking can be exchanged; this one is \(status.rawValue)."
        case .closed(let minutes):
            return "Exchanges close \(minutes) minutes before the show starts."
        case .limit(let max):
            return "This booking has been exchanged \(max) times already, the most allowed."
        case .swapRefused(let why):
            return "The exchange cannot be made: \(why)."
        }
    }
}
