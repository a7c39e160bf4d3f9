import Foundation
import Testing
import VaporTesting
@testable import BoxOffice

@Suite("Available slots")
struct SlotTests {
    @Test func emptyDayIsOneWindowOfOperatingHours() async throws {
        try await withTestApp { t in
            let admin = try await t.admin()
            let screen = try await t.makeScreen(admin)
            let response = try await t.request(
                .GET, "/shows/available-slots?screen_id=\(screen.id)&date=2026-11-20", token: admin.accessToken)
            #expect(response.status == .ok, "\(response.body.string)")
            let slots = try response.content.decode(SlotsResponse.self)
            #expect(slots.slots.count == 1)
            #expect(slots.slots[0].startTime == "09:00" && slots.slots[0].endTime == "00:00")
            #expect(slots.slots[0].minutes == 15 * 60)
        }
    }

    @Test func showsSplitTheDayAndBackToBackLeavesNoGap() async throws {
        try await withTestApp { t in
            let admin = try await t.admin()
            let screen = try await t.makeScreen(admin)
            let movie = try await t.makeMovie(minutes: 105)  // 2 h with the buffer
            _ = try await t.makeShow(admin, movie: movie, screen: screen.id, time: "10:00")
            _ = try await t.makeShow(admin, movie: movie, screen: screen.id, time: "12:00")
            _ = try await t.makeShow(admin, movie: movie, screen: screen.id, time: "18:00")
            let slots = try await t.request(
                .GET, "/shows/available-slots?screen_id=\(screen.id)&date=2026-11-20",
                token: admin.accessToken
            ).content.decode(SlotsResponse.self)
            #expect(
                slots.slots.map { "\($0.startTime)-\($0.endTime)" } == ["09:00-10:00", "14:00-18:00", "20:00-00:00"])
        }
    }

    @Test func withAMovieOnlyWindowsItFitsWithLatestStart() async throws {
        try await withTestApp { t in
            let admin = try await t.admin()
            let screen = try await t.makeScreen(admin)
            let short = try await t.makeMovie(minutes: 105)
            _ = try await t.makeShow(admin, movie: short, screen: screen.id, time: "10:00")
            _ = try await t.makeShow(admin, movie: short, screen: screen.id, time: "18:00")
            let long = try await t.makeMovie(minutes: 165)  // needs 3 h
            let slots = try await t.request(
                .GET,
                "/shows/available-slots?screen_id=\(screen.id)&date=2026-11-20&movie_id=\(long)",
                token: admin.accessToken
            ).content.decode(SlotsResponse.self)
            #expect(slots.requiredMinutes == 180)
            #expect(slots.slots.map { "\($0.startTime)-\($0.endTime)" } == ["12:00-18:00", "20:00-00:00"])
            #expect(slots.slots.map(\.latestStartTime) == ["15:00", "21:00"])

            let epic = try await t.makeMovie(minutes: 600)
            let none = try await t.request(
                .GET,
                "/shows/available-slots?screen_id=\(screen.id)&date=2026-11-20&movie_id=\(epic)",
                token: admin.accessToken
            ).content.decode(SlotsResponse.self)
            #expect(none.slots.isEmpty)
        }
    }

    @Test func aShowFromTheNightBeforeTakesTheMorning() async throws {
        try await withTestApp(configure: { $0.operatingHours = 0...(24 * 60) }) { t in
            let admin = try await t.admin()
            let screen = try await t.makeScreen(admin)
            let movie = try await t.makeMovie(minutes: 150)
            _ = try await t.makeShow(admin, movie: movie, screen: screen.id, date: "2026-11-20", time: "23:00")
            let slots = try await t.request(
                .GET, "/shows/available-slots?screen_id=\(screen.id)&date=2026-11-21",
                token: admin.accessToken
            ).content.decode(SlotsResponse.self)
            #expect(slots.slots.first?.startTime == "01:45")
        }
    }

    @Test func slotsAreAdminOnlyAndValidated() async throws {
        try await withTestApp { t in
            let admin = try await t.admin()
            let user = try await t.customer()
            let screen = try await t.makeScreen(admin)
            let path = "/shows/available-slots?screen_id=\(screen.id)&date=2026-11-20"
            #expect(try await t.request(.GET, path, token: user.accessToken).status == .forbidden)
            #expect(
                try await t.request(
                    .GET, "/shows/available-slots?screen_id=\(screen.id)&date=tomorrow",
                    token: admin.accessToken
                ).status == .unprocessableEntity)
            #expect(
                try await t.request(.GET, "/shows/available-slots?date=2026-11-20", token: admin.accessToken).status
                    == .unprocessableEntity)
            #expect(
                try await t.request(
                    .GET, "/shows/available-slots?screen_id=\(UUID())&date=2026-11-20",
                    token: admin.accessToken
                ).status == .notFound)
        }
    }
}
