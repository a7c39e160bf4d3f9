import Foundation
import Rules

/// Why a booking could not be made or changed.
enum BookingError: DomainError {
    case holdExpired
    /// The final guard (the partial unique index) or a seat that stopped being for sale.
    case seatsUnavailable(seats: [UUID])
    case seatNotForSale
    case pricingUnavailable(String)
    case foodOutOfStock(String)
    case promoExhausted(perCustomer: Bool)
    case invalidTransition(from: BookingStatus, to: BookingStatus)

    var code: ErrorCode {
        switch self {
        case .holdExpired: return .holdExpired
        case .seatsUnavailable, .seatNotForSale: return .seatsUnavailable
        case .pricingUnavailable: return .pricingUnavailable
        case .foodOutOfStock: return .foodOutOfStock
        case .promoExhausted: return .usageExhausted
        case .invalidTransition: return .invalidTransition
        }
    }

    var detail: String {
        switch self {
        case .holdExpired: return "The seat hold has expired or was released; hold the seats again."
        case .seatsUnavailable: return "One or more of these seats were booked by someone else."
        case .seatNotForSale: return "A held seat is no longer for sale; hold other seats."
        case .pricingUnavailable(let why): return why
        case .foodOutOfStock(let name): return "\(name) sold out while booking."
        case .promoExhausted(let perCustomer):
            return perCustomer ? "You have already used this promo code." : "This promo code has been used up."
        case .invalidTransition(let from, let to): return "A booking cannot go from \(from.rawValue) to \(to.rawValue)."
        }
    }

    var seatIds: [UUID]? {
        if case .seatsUnavailable(let seats) = self { return seats }
        return nil
    }
}
