import Fluent
import Foundation
import Rules
import Vapor

/// Issues tickets for confirmed bookings and admits them at the door, once.
struct TicketService: Sendable {
    let keys: TicketKeyring
    let clock: any AppClock
    let audit: AuditService
    let time: CinemaTime
    /// `GET /tickets/keys`, encoded once: the keys change only with the configuration.
    let publishedKeys: ByteBuffer

    init(keys: TicketKeyring, clock: any AppClock, audit: AuditService, time: CinemaTime) throws {
        self.keys = keys
        self.clock = clock
        self.audit = audit
        self.time = time
        publishedKeys = ByteBuffer(data: try JSONEncoder.api.encode(keys.jwks))
    }

    /// Doors open this long before the start; admission closes when the show ends (`ends_at`).
    static let doorsOpenBefore: TimeInterval = 2 * 3600

    static func window(_ details: BookingDetails) -> (opens: Date, closes: Date) {
        (details.startsAt.addingTimeInterval(-doorsOpenBefore), details.endsAt)
    }

    /// The ticket of a booking the caller owns (or any, for an admin); another user's booking is a 404.
    func ticket(_ bookingID: UUID, for caller: AuthenticatedUser, on db: any Database) async throws -> TicketResponse {
        guard let details = try await BookingDetails.load(bookingID, on: db),
            caller.isAdmin || details.userID == caller.id
        else { throw APIError.notFound("Booking") }
        let status = details.effectiveStatus(at: clock.now())
        guard status == .confirmed else { throw TicketError.notConfirmed(status) }
        let window = Self.window(details)
        let claims = TicketClaims(
            bookingID: details.bookingID, showID: details.showID, reference: details.reference, seats: details.seats,
            notBefore: Int(window.opens.timeIntervalSince1970), expires: Int(window.closes.timeIntervalSince1970))
        return TicketResponse(
            bookingId: details.bookingID, reference: details.reference, movieTitle: details.movieTitle,
            startsAt: details.startsAt, screenName: details.screenName, seats: details.seats,
            admits: details.seats.count, validFrom: window.opens, validUntil: window.closes,
            code: try TicketCode.sign(claims, with: keys))
    }

    /// Admits the ticket `code`: it must be signed by one of our keys, for a confirmed booking, inside its window,
    /// and not admitted before. The admission and its audit row are written together; the unique booking in
    /// `checkins` decides which of several simultaneous scans wins.
    func admit(_ code: String, by caller: AuthenticatedUser, requestID: String?, on db: any Database) async throws
        -> CheckInResponse
    {
        guard let claims = TicketCode.verify(code, with: keys),
            let details = try await BookingDetails.load(claims.bookingID, on: db)
        else { throw TicketError.invalid }
        if details.showID != claims.showID || details.seats != claims.seats {
            // Signed by us for this booking, but for the show or seats it had before an exchange: superseded. Any
            // other mismatch is no ticket we issued.
            let exchanged = try await BookingExchange.query(on: db).filter(\.$booking.$id == details.bookingID)
                .filter(\.$status == .completed).filter(\.$fromShowID == claims.showID).count()
            throw exchanged > 0 ? TicketError.superseded : TicketError.invalid
        }
        if let first = try await firstAdmission(details.bookingID, on: db) {
            throw TicketError.alreadyAdmitted(at: first)
        }
        let now = clock.now()
        let status = details.effectiveStatus(at: now)
        guard status == .confirmed else { throw TicketError.notAdmissible(status) }
        let window = Self.window(details)
        guard now >= window.opens, now < window.closes else {
            throw TicketError.outsideWindow(opens: local(window.opens), closes: local(window.closes))
        }
        let email = try await User.find(caller.id, on: db)?.email
        let checkIn = CheckIn(
            bookingID: details.bookingID, showID: details.showID, admits: details.seats.count, admittedBy: caller.id,
            at: now)
        let after = AuditJSON.object([
            "reference": .string(details.reference), "show_id": .string(details.showID.uuidString),
            "seats": .array(details.seats.map(AuditJSON.string)), "admits": .int(details.seats.count),
        ])
        do {
            try await db.writeTransaction { [audit] tx in
                try await checkIn.create(on: tx)
                try await audit.record(
                    "booking.admit", entityType: "booking", entityID: details.bookingID.uuidString,
                    actor: .user(id: caller.id, email: email), after: after, requestID: requestID, on: tx)
            }
        } catch let error where ConstraintViolation(error)?.violates(.checkinsBooking) == true {
            throw TicketError.alreadyAdmitted(at: try await firstAdmission(details.bookingID, on: db) ?? now)
        }
        return CheckInResponse(details, admittedAt: now)
    }

    /// People admitted to the show so far, and seats sold (confirmed bookings).
    func counts(_ showID: UUID, on db: any Database) async throws -> ShowCheckInCounts {
        guard try await Show.find(showID, on: db) != nil else { throw APIError.notFound("Show") }
        // Seats of admitted bookings: a count (bigint on PostgreSQL), where a SUM would be NUMERIC there.
        let admitted = try await BookingSeat.query(on: db)
            .join(CheckIn.self, on: \BookingSeat.$booking.$id == \CheckIn.$booking.$id)
            .filter(\BookingSeat.$showID == showID)
            .count()
        let sold = try await BookingSeat.query(on: db)
            .join(Booking.self, on: \BookingSeat.$booking.$id == \Booking.$id)
            .filter(\BookingSeat.$showID == showID)
            .filter(Booking.self, \.$status == .confirmed)
            .count()
        return ShowCheckInCounts(showId: showID, admitted: admitted, sold: sold)
    }

    private func firstAdmission(_ bookingID: UUID, on db: any Database) async throws -> Date? {
        try await CheckIn.query(on: db).filter(\.$booking.$id == bookingID).first()?.admittedAt
    }

    private func local(_ instant: Date) -> String {
        "\(time.localTime(instant)) on \(time.localDate(instant))"
    }
}
