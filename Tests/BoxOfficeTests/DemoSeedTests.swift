import Foundation
import Testing
import VaporTesting
@testable import BoxOffice

@Suite("Demo data")
struct DemoSeedTests {
    @Test func seedDemoBuildsTheCinemaAndIsIdempotent() async throws {
        try await withTestApp { t in
            let first = try await DemoSeeder(app: t.app).run()
            #expect(first.created["movies"] == 6)
            #expect(first.created["screens"] == 2)
            #expect(first.created["food_items"] == 8)
            #expect(first.created["promo_codes"] == 2)
            #expect((first.created["shows"] ?? 0) >= 4 * 2 * 6)
            let second = try await DemoSeeder(app: t.app).run()
            #expect(second.created.isEmpty)

            // What an anonymous client sees.
            let movies = try await t.request(.GET, "/movies").content.decode(Page<MovieResponse>.self)
            #expect(movies.total == 6)
            let screens = try await t.request(.GET, "/screens").content.decode(Page<ScreenResponse>.self)
            #expect(screens.items.map(\.capacity).sorted() == [120, 300])
            #expect(
                screens.items.allSatisfy {
                    $0.categories.count == 3 && $0.kinds["wheelchair"] == 2 && $0.kinds["companion"] == 2
                })
            let tomorrow = CinemaTime(timeZone: t.config.cinemaTimeZone).localDate(
                t.clock.now().addingTimeInterval(86_400))
            let shows = try await t.request(.GET, "/shows?date=\(tomorrow)").content.decode(Page<ShowResponse>.self)
            #expect(shows.total == 8)
            let show = try await t.request(.GET, "/shows/\(shows.items[0].id)").content.decode(ShowResponse.self)
            #expect(show.prices?.map(\.priceMinor) == [9_000, 18_000, 35_000])

            // The demo credentials work.
            _ = try await t.login(first.credentials.userEmail, first.credentials.userPassword)
            let admin = try await t.login(first.credentials.adminEmail, first.credentials.adminPassword)
            #expect(try await t.request(.GET, "/users", token: admin.accessToken).status == .ok)
        }
    }
}
