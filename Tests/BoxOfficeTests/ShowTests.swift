import Foundation
import Testing
import VaporTesting
@testable import BoxOffice

@Suite("Shows: scheduling, overlap, cancel, listing")
struct ShowTests {
    @Test func createStoresUTCInstantsAndBasePrices() async throws {
        try await withTestApp { t in
            let admin = try await t.admin()
            let screen = try await t.makeScreen(admin)
            let movie = try await t.makeMovie(minutes: 150)
            let response = try await t.makeShow(
                admin, movie: movie, screen: screen.id, date: "2026-11-20", time: "18:30")
            #expect(response.status == .created, "\(response.body.string)")
            let show = try response.content.decode(ShowResponse.self)
            // 18:30 in Kolkata (UTC+5:30) is 13:00 UTC; ends after 150 + 15 minutes.
            #expect(show.startsAt == ISO8601DateFormatter().date(from: "2026-11-20T13:00:00Z"))
            #expect(show.endsAt == ISO8601DateFormatter().date(from: "2026-11-20T15:45:00Z"))
            #expect(show.showDate == "2026-11-20" && show.showTime == "18:30")
            #expect(show.status == .scheduled && show.isOnSale)
            #expect(show.prices?.map(\.priceMinor).sorted() == [15000, 25000])
            #expect(response.body.string.contains("\"starts_at\":\"2026-11-20T13:00:00Z\""))

            let fetched = try await t.request(.GET, "/shows/\(show.id)")
            #expect(fetched.status == .ok)
            #expect(try fetched.content.decode(ShowResponse.self).screen.name == screen.name)
        }
    }

    @Test func overlappingShowIsConflictButBackToBackIsFine() async throws {
        try await withTestApp { t in
            let admin = try await t.admin()
            let screen = try await t.makeScreen(admin)
            let movie = try await t.makeMovie(minutes: 105)  // occupies 2 h with the buffer
            #expect(try await t.makeShow(admin, movie: movie, screen: screen.id, time: "10:00").status == .created)
            let clash = try await t.makeShow(admin, movie: movie, screen: screen.id, time: "11:59")
            #expect(clash.status == .conflict)
            #expect(clash.problem?.code == "show_overlap")
            #expect(try await t.makeShow(admin, movie: movie, screen: screen.id, time: "12:00").status == .created)
            // Another screen at the same time is fine.
            let other = try await t.makeScreen(admin)
            #expect(try await t.makeShow(admin, movie: movie, screen: other.id, time: "10:00").status == .created)
        }
    }

    @Test func overlapIsCaughtAcrossMidnight() async throws {
        try await withTestApp { t in
            let admin = try await t.admin()
            let screen = try await t.makeScreen(admin)
            let movie = try await t.makeMovie(minutes: 150)
            #expect(
                try await t.makeShow(admin, movie: movie, screen: screen.id, date: "2026-11-20", time: "23:00").status
                    == .created)
            // Busy until 01:45 on the 21st.
            let early = try await t.makeShow(admin, movie: movie, screen: screen.id, date: "2026-11-21", time: "01:00")
            #expect(early.status == .conflict)
            #expect(
                try await t.makeShow(admin, movie: movie, screen: screen.id, date: "2026-11-21", time: "01:45").status
                    == .created)
        }
    }

    @Test func concurrentOverlappingShowsCreateExactlyOne() async throws {
        try await withTestApp { t in
            let admin = try await t.admin()
            let screen = try await t.makeScreen(admin)
            let movie = try await t.makeMovie(minutes: 120)
            let statuses = try await withThrowingTaskGroup(of: HTTPStatus.self) { group in
                for minute in 0..<6 {
                    group.addTask {
                        try await t.makeShow(admin, movie: movie, screen: screen.id, time: "15:0\(minute)").status
                    }
                }
                return try await group.reduce(into: [HTTPStatus]()) { $0.append($1) }
            }
            #expect(statuses.filter { $0 == .created }.count == 1)
            #expect(statuses.filter { $0 == .conflict }.count == 5)
        }
    }

    @Test func badInputIs422WithTheField() async throws {
        try await withTestApp { t in
            let admin = try await t.admin()
            let screen = try await t.makeScreen(admin)
            let movie = try await t.makeMovie(languages: ["Hindi"], formats: ["2D"])
            for (date, time, field) in [
                ("2026-11-20", "25:00", "show_time"), ("2026-11-20", "6pm", "show_time"),
                ("2026-02-30", "10:00", "show_date"), ("2026-11-01", "10:00", "show_time"),
            ] {
                let response = try await t.makeShow(admin, movie: movie, screen: screen.id, date: date, time: time)
                #expect(response.status == .unprocessableEntity, "\(date) \(time)")
                #expect(
                    response.problem?.errors?.contains { $0.field == field } == true,
                    "\(date) \(time): \(response.body.string)")
            }
            let unknownMovie = try await t.makeShow(admin, movie: UUID(), screen: screen.id)
            #expect(unknownMovie.problem?.errors?.first?.field == "movie_id")
            let wrongFormat = try await t.request(
                .POST, "/shows",
                json: [
                    "movie_id": movie.uuidString, "screen_id": screen.id.uuidString, "show_date": "2026-11-20",
                    "show_time": "10:00", "language": "Hindi", "format": "IMAX",
                ], token: admin.accessToken)
            #expect(wrongFormat.problem?.errors?.first?.field == "format")
        }
    }

    @Test func inactiveMovieOrUnavailableScreenIsConflict() async throws {
        try await withTestApp { t in
            let admin = try await t.admin()
            let screen = try await t.makeScreen(admin)
            let inactive = try await t.makeMovie(active: false)
            #expect(try await t.makeShow(admin, movie: inactive, screen: screen.id).problem?.code == "movie_inactive")
            _ = try await t.request(
                .PATCH, "/screens/\(screen.id)", json: ["is_available": false], token: admin.accessToken)
            let movie = try await t.makeMovie()
            #expect(try await t.makeShow(admin, movie: movie, screen: screen.id).problem?.code == "screen_unavailable")
        }
    }

    @Test func cancelIsIdempotentAndFreesTheScreen() async throws {
        try await withTestApp { t in
            let admin = try await t.admin()
            let user = try await t.customer()
            let screen = try await t.makeScreen(admin)
            let movie = try await t.makeMovie()
            let show = try await t.makeShow(admin, movie: movie, screen: screen.id).content.decode(ShowResponse.self)
            #expect(try await t.request(.PUT, "/shows/\(show.id)/cancel", token: user.accessToken).status == .forbidden)
            let first = try await t.request(
                .PUT, "/shows/\(show.id)/cancel", json: ["reason": "Projector fault"], token: admin.accessToken)
            #expect(first.status == .ok)
            let cancelled = try first.content.decode(ShowResponse.self)
            #expect(
                cancelled.status == .cancelled && !cancelled.isOnSale && cancelled.cancelReason == "Projector fault")
            let second = try await t.request(.PUT, "/shows/\(show.id)/cancel", token: admin.accessToken)
            #expect(try second.content.decode(ShowResponse.self).cancelledAt == cancelled.cancelledAt)
            // The slot is free again.
            #expect(try await t.makeShow(admin, movie: movie, screen: screen.id).status == .created)
            let patch = try await t.request(
                .PATCH, "/shows/\(show.id)", json: ["show_time": "09:00"], token: admin.accessToken)
            #expect(patch.problem?.code == "show_cancelled")
        }
    }

    @Test func rescheduleRechecksOverlap() async throws {
        try await withTestApp { t in
            let admin = try await t.admin()
            let screen = try await t.makeScreen(admin)
            let movie = try await t.makeMovie(minutes: 105)
            _ = try await t.makeShow(admin, movie: movie, screen: screen.id, time: "10:00")
            let later = try await t.makeShow(admin, movie: movie, screen: screen.id, time: "14:00").content.decode(
                ShowResponse.self)
            let clash = try await t.request(
                .PATCH, "/shows/\(later.id)", json: ["show_time": "11:00"], token: admin.accessToken)
            #expect(clash.status == .conflict)
            let moved = try await t.request(
                .PATCH, "/shows/\(later.id)", json: ["show_time": "12:30"], token: admin.accessToken)
            #expect(moved.status == .ok)
            #expect(try moved.content.decode(ShowResponse.self).showTime == "12:30")
            // Moving onto its own old time window is fine (it does not clash with itself).
            #expect(
                try await t.request(
                    .PATCH, "/shows/\(later.id)", json: ["show_time": "12:45"], token: admin.accessToken
                ).status == .ok)
        }
    }

    @Test func listFiltersByDateMovieAndStatus() async throws {
        try await withTestApp { t in
            let admin = try await t.admin()
            let screen = try await t.makeScreen(admin)
            let movie = try await t.makeMovie(title: "One")
            let other = try await t.makeMovie(title: "Two")
            _ = try await t.makeShow(admin, movie: movie, screen: screen.id, date: "2026-11-20", time: "10:00")
            _ = try await t.makeShow(admin, movie: other, screen: screen.id, date: "2026-11-20", time: "14:00")
            let late = try await t.makeShow(admin, movie: movie, screen: screen.id, date: "2026-11-21", time: "10:00")
                .content.decode(ShowResponse.self)
            _ = try await t.request(.PUT, "/shows/\(late.id)/cancel", token: admin.accessToken)

            let day = try await t.request(.GET, "/shows?date=2026-11-20").content.decode(Page<ShowResponse>.self)
            #expect(day.total == 2)
            #expect(day.items.map(\.showTime) == ["10:00", "14:00"])
            let byMovie = try await t.request(.GET, "/shows?movie_id=\(movie)").content.decode(Page<ShowResponse>.self)
            #expect(byMovie.total == 2)
            let scheduled = try await t.request(.GET, "/shows?movie_id=\(movie)&status=SCHEDULED").content.decode(
                Page<ShowResponse>.self)
            #expect(scheduled.total == 1)
            #expect(try await t.request(.GET, "/shows?date=20-11-2026").status == .unprocessableEntity)
        }
    }

    @Test func startedShowIsNotOnSale() async throws {
        try await withTestApp { t in
            let admin = try await t.admin()
            let screen = try await t.makeScreen(admin)
            let show = try await t.makeShow(admin, movie: try await t.makeMovie(), screen: screen.id).content.decode(
                ShowResponse.self)
            t.clock.set(show.startsAt)
            #expect(try await t.request(.GET, "/shows/\(show.id)").content.decode(ShowResponse.self).isOnSale == false)
        }
    }
}
