import Foundation

/// What live clients hear: a change to a show's seat map, or a new notification for one user. Carried between
/// instances as JSON (`LiveBus`), and sent to sockets as the text of `socketMessage`.
enum LiveEvent: Sendable, Equatable {
    case seats(SeatsChanged)
    case notification(userID: UUID, NotificationResponse)

    /// Seats of one show changed state. Nobody learns who holds or booked them.
    struct SeatsChanged: Codable, Sendable, Equatable {
        enum Status: String, Codable, Sendable {
            /// A hold took them; `released` / `expired` give them back.
            case held, released, expired
            /// A booking took them; `freed` gives them back (cancelled or expired unpaid).
            case booked, freed
        }

        var showId: UUID
        var status: Status
        var seatIds: [UUID]
    }

    /// The one JSON text every receiving socket is sent.
    var socketMessage: String {
        let encoder = JSONEncoder.api
        let data: Data?
        switch self {
        case .seats(let change):
            data = try? encoder.encode(
                SeatsMessage(showId: change.showId, status: change.status, seatIds: change.seatIds))
        case .notification(_, let notification):
            data = try? encoder.encode(NotificationMessage(notification: notification))
        }
        return data.map { String(decoding: $0, as: UTF8.self) } ?? "{}"
    }

    private struct SeatsMessage: Encodable {
        var type = "seats"
        var showId: UUID
        var status: SeatsChanged.Status
        var seatIds: [UUID]
    }

    private struct NotificationMessage: Encodable {
        var type = "notification"
        var notification: NotificationResponse
    }
}

extension LiveEvent: Codable {
    private enum CodingKeys: String, CodingKey {
        case seats, userId, notification
    }

    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        if let seats = try container.decodeIfPresent(SeatsChanged.self, forKey: .seats) {
            self = .seats(seats)
        } else {
            self = .notification(
                userID: try container.decode(UUID.self, forKey: .userId),
                try container.decode(NotificationResponse.self, forKey: .notification))
        }
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        switch self {
        case .seats(let seats):
            try container.encode(seats, forKey: .seats)
        case .notification(let user, let notification):
            try container.encode(user, forKey: .userId)
            try container.encode(notification, forKey: .notification)
        }
    }
}

extension NotificationEvent {
    /// The seat-map change a delivered booking event stands for, if any.
    var seatsChanged: LiveEvent.SeatsChanged? {
        guard let show = showID, let seats = seatIDs, !seats.isEmpty else { return nil }
        switch kind {
        case .seatsBooked: return .init(showId: show, status: .booked, seatIds: seats)
        case .seatsFreed: return .init(showId: show, status: .freed, seatIds: seats)
        default: return nil
        }
    }
}
