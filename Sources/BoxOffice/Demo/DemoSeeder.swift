import Fluent
import Vapor

/// Fills a demo cinema through the same services the API uses. Every item is created only if it is
/// missing (users by email, movies by title, screens by name, shows by screen and start, …), so running it
/// twice changes nothing, and running it on a later day tops the week of shows up.
struct DemoSeeder {
    let app: Application

    struct Credentials {
        var adminEmail = "admin@boxoffice.local"
        var adminPassword = "admin-demo-password"
        var userEmail = "asha@boxoffice.local"
        var userPassword = "user-demo-password"
    }

    struct Report {
        var credentials = Credentials()
        var created: [String: Int] = [:]
    }

    func run() async throws -> Report {
        var report = Report()
        let db = app.db
        let box = app.boxOffice
        _ = try await box.adminBootstrap.ensureAdmin(
            email: report.credentials.adminEmail, password: report.credentials.adminPassword, name: "Demo Admin", on: db
        )
        if try await User.query(on: db).filter(\.$email == report.credentials.userEmail).first() == nil {
            _ = try await box.accounts.signup(
                SignupRequest(
                    name: "Asha Rao", email: report.credentials.userEmail,
                    phone: "+919800000001", password: report.credentials.userPassword), on: db)
            report.created["users", default: 0] += 1
        }
        let movies = try await seedMovies(&report)
        let screens = try await seedScreens(&report)
        try await seedShows(movies: movies, screens: screens, &report)
        try await seedOffers(&report)
        return report
    }

    private func seedMovies(_ report: inout Report) async throws -> [Movie] {
        var result: [Movie] = []
        for spec in DemoCatalog.movies {
            if let existing = try await Movie.query(on: app.db).filter(\.$title == spec.title).first() {
                result.append(existing)
                continue
            }
            result.append(try await app.boxOffice.movies.create(spec, on: app.db))
            report.created["movies", default: 0] += 1
        }
        return result
    }

    private func seedScreens(_ report: inout Report) async throws -> [Screen] {
        let screens = app.boxOffice.screens
        var result: [Screen] = []
        for (name, type, layout) in DemoCatalog.screens {
            var screen = try await Screen.query(on: app.db).filter(\.$name == name).first()
            if screen == nil {
                screen = try await screens.create(CreateScreenRequest(name: name, screenType: type), on: app.db)
            }
            guard let screen else { continue }
            if try await Seat.query(on: app.db).filter(\.$screen.$id == screen.requireID()).filter(\.$retiredAt == nil)
                .count() == 0
            {
                try await app.boxOffice.layouts.apply(layout, to: try screen.requireID(), on: app.db)
                report.created["screens", default: 0] += 1
            }
            result.append(screen)
        }
        return result
    }

    /// Four shows a day on each screen for the next seven cinema days, rotating the movies.
    private func seedShows(movies: [Movie], screens: [Screen], _ report: inout Report) async throws {
        let box = app.boxOffice
        let shows = box.shows
        let today = box.clock.now()
        for dayOffset in 0..<7 {
            let date = shows.time.localDate(today.addingTimeInterval(TimeInterval(dayOffset * 86_400)))
            for (screenIndex, screen) in screens.enumerated() {
                for (slotIndex, time) in DemoCatalog.showTimes.enumerated() {
                    guard let start = shows.time.instant(date: date, minutes: LocalTime.minutes(time) ?? 0),
                        start > today.addingTimeInterval(30 * 60)
                    else { continue }
                    let screenID = try screen.requireID()
                    if try await Show.query(on: app.db).filter(\.$screen.$id == screenID).filter(\.$startsAt == start)
                        .count() > 0
                    {
                        continue
                    }
                    let movie = movies[(dayOffset + screenIndex * 2 + slotIndex) % movies.count]
                    _ = try await shows.create(
                        CreateShowRequest(
                            movieId: try movie.requireID(), screenId: screenID,
                            showDate: date, showTime: time, language: movie.languages.first ?? "English",
                            format: movie.formats.first ?? "2D"), on: app.db)
                    report.created["shows", default: 0] += 1
                }
            }
        }
    }
}
