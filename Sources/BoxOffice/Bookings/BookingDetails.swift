import Fluent
import Foundation
import Rules
import SQLKit

/// What a booking is for, in words a person reads: the movie, when, which screen and which seats. Loaded for many
/// bookings by one joined query (bookings, shows, movies, screens and the booking's seats), never one per booking.
struct BookingDetails: Sendable, Equatable {
    var bookingID: UUID
    var reference: String
    var userID: UUID
    var showID: UUID
    var status: BookingStatus
    var paymentDueBy: Date
    var movieTitle: String
    var startsAt: Date
    /// When the screen is free again (the movie's end plus the cleaning buffer).
    var endsAt: Date
    var screenName: String
    /// Seat labels as the seat map spells them (`F5`), in row and number order (`F9` before `F10`).
    var seats: [String]

    /// The status a reader sees (`Booking.effectiveStatus(at:)`): an overdue pending booking is expired.
    func effectiveStatus(at now: Date) -> BookingStatus {
        Booking.effectiveStatus(status, paymentDueBy: paymentDueBy, at: now)
    }

    /// The details of each of `ids` that exists, by booking id, from one query.
    static func load(_ ids: [UUID], on db: any Database) async throws -> [UUID: BookingDetails] {
        guard !ids.isEmpty else { return [:] }
        func column(_ name: String, _ table: String) -> SQLColumn { SQLColumn(name, table: table) }
        let rows = try await db.sql().select()
            .column(column("id", Booking.schema), as: "booking_id")
            .column(column("reference", Booking.schema), as: "reference")
            .column(column("user_id", Booking.schema), as: "user_id")
            .column(column("show_id", Booking.schema), as: "show_id")
            .column(column("status", Booking.schema), as: "status")
            .column(column("payment_due_by", Booking.schema), as: "payment_due_by")
            .column(column("title", Movie.schema), as: "movie_title")
            .column(column("starts_at", Show.schema), as: "starts_at")
            .column(column("ends_at", Show.schema), as: "ends_at")
            .column(column("name", Screen.schema), as: "screen_name")
            .column(column("seat_label", BookingSeat.schema), as: "seat_label")
            .from(Booking.schema)
            .join(Show.schema, on: column("show_id", Booking.schema), .equal, column("id", Show.schema))
            .join(Movie.schema, on: column("movie_id", Show.schema), .equal, column("id", Movie.schema))
            .join(Screen.schema, on: column("screen_id", Show.schema), .equal, column("id", Screen.schema))
            .join(
                BookingSeat.schema, method: SQLJoinMethod.left,
                on: column("booking_id", BookingSeat.schema), .equal, column("id", Booking.schema)
            )
            .where(column("id", Booking.schema), .in, SQLBind.group(ids))
            .all()
        var details: [UUID: BookingDetails] = [:]
        for row in rows {
            let id = try row.decode(column: "booking_id", as: UUID.self)
            if details[id] == nil {
                details[id] = BookingDetails(
                    bookingID: id, reference: try row.decode(column: "reference", as: String.self),
                    userID: try row.decode(column: "user_id", as: UUID.self),
                    showID: try row.decode(column: "show_id", as: UUID.self),
                    status: try row.decode(column: "status", as: BookingStatus.self),
                    paymentDueBy: try row.decode(column: "payment_due_by", as: Date.self),
                    movieTitle: try row.decode(column: "movie_title", as: String.self),
                    startsAt: try row.decode(column: "starts_at", as: Date.self),
                    endsAt: try row.decode(column: "ends_at", as: Date.self),
                    screenName: try row.decode(column: "screen_name", as: String.self), seats: [])
            }
            if let label = try row.decode(column: "seat_label", as: String?.self) { details[id]?.seats.append(label) }
        }
        for id in details.keys { details[id]?.seats.sort(by: Self.seatOrder) }
        return details
    }

    /// One booking's details; nil when there is no such booking.
    static func load(_ id: UUID, on db: any Database) async throws -> BookingDetails? {
        try await load([id], on: db)[id]
    }

    /// Row, then number as a number: `F9` before `F10`, `E12` before `F1`.
    static func seatOrder(_ lhs: String, _ rhs: String) -> Bool {
        func parts(_ label: String) -> (String, Int?) {
            let row = label.prefix { !$0.isNumber }
            return (String(row), Int(label.dropFirst(row.count)))
        }
        let (left, right) = (parts(lhs), parts(rhs))
        if left.0 != right.0 { return left.0 < right.0 }
        if let a = left.1, let b = right.1, a != b { return a < b }
        return lhs < rhs
    }
}
