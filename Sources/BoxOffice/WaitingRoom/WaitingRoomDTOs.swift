import Foundation
import Vapor

/// `PUT /shows/{id}/waiting-room`.
struct WaitingRoomRequest: Content {
    var opensAt: Date
    var onSaleAt: Date
    var admitPerMinute: Int
    var admissionMinutes: Int
}

/// `PUT /movies/{id}/waiting-room`: the same room in front of every scheduled show of the movie on a cinema date.
struct MovieWaitingRoomRequest: Content {
    var showDate: String
    var opensAt: Date
    var onSaleAt: Date
    var admitPerMinute: Int
    var admissionMinutes: Int

    var room: WaitingRoomRequest {
        WaitingRoomRequest(
            opensAt: opensAt, onSaleAt: onSaleAt, admitPerMinute: admitPerMinute, admissionMinutes: admissionMinutes)
    }
}

struct WaitingRoomList: Content {
    var rooms: [WaitingRoomResponse]
}

/// A room's settings and, for staff, how long its queue is and how many have been admitted so far.
struct WaitingRoomResponse: Content {
    var showId: UUID
    var opensAt: Date
    var onSaleAt: Date
    var admitPerMinute: Int
    var admissionMinutes: Int
    var queueLength: Int
    var admitted: Int
    var isActive: Bool
}

/// A customer's place: `POST /shows/{id}/queue` and `GET /queue/{entry_id}`.
struct QueueEntryResponse: Content {
    enum State: String, Codable, Sendable, CaseIterable {
        case waiting, admitted, expired
        /// Every seat is booked: nothing is left to wait for (an admitted place keeps its admission meanwhile).
        case soldOut = "sold_out"
    }

    var entryId: UUID
    var showId: UUID
    var state: State
    /// 1 is the front.
    var position: Int
    /// Places before this one not yet admitted.
    var ahead: Int
    var queueLength: Int
    var onSaleAt: Date
    /// Until admission (0 once admitted).
    var estimatedWaitSeconds: Int
    /// When to ask again (`GET /queue/{entry_id}`).
    var pollAfterSeconds: Int
    /// While admitted: send it as `admission` with `POST /seatlocks` for this show.
    var admission: String?
    var admissionExpiresAt: Date?
}
