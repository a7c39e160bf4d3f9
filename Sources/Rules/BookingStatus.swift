import Foundation

/// Where a booking is in its life, and the moves it may make: one table, used by every transition.
public enum BookingStatus: String, Codable, Sendable, CaseIterable {
    case pending = "PENDING"
    case confirmed = "CONFIRMED"
    case expired = "EXPIRED"
    case cancelled = "CANCELLED"

    /// Pending and confirmed bookings own their seats.
    public var holdsSeats: Bool { self == .pending || self == .confirmed }

    /// The only moves a booking makes: paid, expired or cancelled while pending; cancelled once confirmed;
    /// and an expired booking revived by a late payment whose seats are still free.
    public static let moves: [BookingStatus: Set<BookingStatus>] = [
        .pending: [.confirmed, .expired, .cancelled],
        .confirmed: [.cancelled],
        .expired: [.confirmed],
        .cancelled: [],
    ]

    public static func canMove(from: BookingStatus, to: BookingStatus) -> Bool { moves[from]?.contains(to) ?? false }
}
