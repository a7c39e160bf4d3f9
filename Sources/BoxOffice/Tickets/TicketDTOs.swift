import Foundation
import Vapor

/// `GET /bookings/{id}/ticket`: one ticket for the whole party, with the signed code a QR carries.
struct TicketResponse: Content {
    var bookingId: UUID
    var reference: String
    var movieTitle: String
    var startsAt: Date
    var screenName: String
    var seats: [String]
    /// People the ticket admits: its seats.
    var admits: Int
    /// The admission window the code carries: 2 hours before the start until the show ends.
    var validFrom: Date
    var validUntil: Date
    /// A compact JWS (EdDSA, Ed25519); verify it with `GET /tickets/keys`.
    var code: String
}

/// `GET /tickets/keys`: the public keys tickets are signed with, as a JWK Set.
struct TicketKeySet: Content {
    var keys: [Key]

    struct Key: Content {
        var kty = "OKP"
        var crv = "Ed25519"
        var kid: String
        /// The raw 32-byte public key, base64url.
        var x: String
        var use = "sig"
        var alg = "EdDSA"
    }
}

struct CheckInRequest: Content {
    var code: String
}

/// `POST /checkins`: who came in, for the door's green screen.
struct CheckInResponse: Content {
    var bookingId: UUID
    var reference: String
    var movieTitle: String
    var startsAt: Date
    var screenName: String
    var seats: [String]
    var admits: Int
    var admittedAt: Date

    init(_ details: BookingDetails, admittedAt: Date) {
        bookingId = details.bookingID
        reference = details.reference
        movieTitle = details.movieTitle
        startsAt = details.startsAt
        screenName = details.screenName
        seats = details.seats
        admits = details.seats.count
        self.admittedAt = admittedAt
    }
}

/// `GET /shows/{id}/checkins`: people in so far against seats sold.
struct ShowCheckInCounts: Content {
    var showId: UUID
    /// People admitted (each admitted ticket counts its seats).
    var admitted: Int
    /// Seats of confirmed bookings.
    var sold: Int
}
