import Fluent
import Foundation
import Rules
import SQLKit

extension ReportService {
    /// Every show starting on the business day `query.date`, in start order, with its seats on sale, seats sold
    /// (seats of CONFIRMED bookings), people admitted at the door (the check-ins' `admits`) and occupancy, sold of
    /// on sale, as a percentage with one decimal, half-up.
    ///
    /// Seats on sale are the screen's seats as they are now: not retired, available and not blocked. A cancelled
    /// show is listed (its status says so) but left out of the totals.
    func occupancy(_ query: OccupancyReportQuery, on db: any Database) async throws -> OccupancyReportResponse {
        let day = try BusinessDays(from: query.date, count: 1, time: time)
        let statement = Self.occupancyStatement(day)
        let rows = try await snapshot(db) { try await $0.raw(statement).all() }.map { row in
            let onSale = try row.int("seats_on_sale")
            let sold = try row.int("sold")
            let starts = try row.decode(column: "starts_at", as: Date.self)
            return OccupancyReportRow(
                showId: try row.decode(column: "show_id", as: UUID.self),
                movieTitle: try row.decode(column: "movie_title", as: String.self),
                screenName: try row.decode(column: "screen_name", as: String.self), startsAt: starts,
                showTime: time.localTime(starts),
                status: ShowStatus(rawValue: try row.decode(column: "status", as: String.self)) ?? .scheduled,
                seatsOnSale: onSale, sold: sold, admitted: try row.int("admitted"),
                occupancyPercent: .share(sold, of: onSale))
        }
        let counted = rows.filter { $0.status == .scheduled }
        let onSale = counted.reduce(0) { $0 + $1.seatsOnSale }
        let sold = counted.reduce(0) { $0 + $1.sold }
        return OccupancyReportResponse(
            date: query.date, timeZone: timeZone, rows: rows,
            totals: .init(
                shows: counted.count, seatsOnSale: onSale, sold: sold,
                admitted: counted.reduce(0) { $0 + $1.admitted }, occupancyPercent: .share(sold, of: onSale)))
    }

    static func occupancyStatement(_ day: BusinessDays) -> SQLQueryString {
        """
        SELECT sh.id AS show_id, m.title AS movie_title, sc.name AS screen_name, sh.starts_at AS starts_at,
            sh.status AS status,
            (SELECT COUNT(*) FROM seats st WHERE st.screen_id = sh.screen_id AND st.retired_at IS NULL
                AND st.is_available = \(bind: true) AND st.kind <> \(bind: SeatKind.blocked.rawValue)) AS seats_on_sale,
            (SELECT COUNT(*) FROM booking_seats bs JOIN bookings b ON b.id = bs.booking_id
                WHERE bs.show_id = sh.id AND b.status = \(bind: BookingStatus.confirmed.rawValue)) AS sold,
            (SELECT CAST(COALESCE(SUM(c.admits), 0) AS BIGINT) FROM \(ident: CheckIn.schema) c
                WHERE c.show_id = sh.id) AS admitted
        FROM shows sh JOIN movies m ON m.id = sh.movie_id JOIN screens sc ON sc.id = sh.screen_id
        WHERE sh.starts_at >= \(bind: day.start) AND sh.starts_at < \(bind: day.end)
        ORDER BY sh.starts_at, sc.name, sh.id
        """
    }
}
