import Foundation
import Testing
import VaporTesting
@testable import BoxOffice

/// Small builders for catalog tests: a movie straight into the database, a screen with a layout
/// through the API, a show through the API.
extension TestApp {
    func makeMovie(
        title: String = "Test Movie", minutes: Int = 120, active: Bool = true,
        languages: [String] = ["Hindi", "English"], formats: [String] = ["2D", "IMAX"]
    ) async throws -> UUID {
        let movie = Movie()
        movie.title = title
        movie.description = "A film."
        movie.durationMinutes = minutes
        movie.genres = ["Drama"]
        movie.languages = languages
        movie.formats = formats
        movie.cast = []
        movie.crew = []
        movie.isActive = active
        movie.refreshSearchColumns()
        try await movie.create(on: app.db)
        return try movie.requireID()
    }

    /// A screen with two categories (Classic ₹150 rows A–B, Prime ₹250 row C) through the layout API.
    func makeScreen(_ admin: Account, name: String = "Screen \(UUID().uuidString.prefix(6))") async throws
        -> ScreenResponse
    {
        let created = try await request(
            .POST, "/screens", json: ["name": name, "screen_type": "standard"], token: admin.accessToken)
        #expect(created.status == .created, "\(created.body.string)")
        let screen = try created.content.decode(ScreenResponse.self)
        let layout = try await request(
            .POST, "/screens/\(screen.id)/layout", json: Self.smallLayout, token: admin.accessToken)
        #expect(layout.status == .created, "\(layout.body.string)")
        return try layout.content.decode(ScreenResponse.self)
    }

    static let smallLayout = LayoutRequest(
        categories: [.init(name: "Classic", basePriceMinor: 15000), .init(name: "Prime", basePriceMinor: 25000)],
        rows: [
            .init(
                label: "A", category: "Classic", seats: 10, aislesAfter: [5], wheelchair: [1], companion: [2],
                blocked: [10]),
            .init(label: "B", category: "Classic", seats: 10, aislesAfter: [5]),
            .init(label: "C", category: "Prime", seats: 8),
        ])

    /// Schedules a show through the API; the test clock is 2026-11-18 12:13 UTC.
    func makeShow(_ admin: Account, movie: UUID, screen: UUID, date: String = "2026-11-20", time: String = "18:00")
        async throws -> TestingHTTPResponse
    {
        try await request(
            .POST, "/shows",
            json: [
                "movie_id": movie.uuidString, "screen_id": screen.uuidString, "show_date": date, "show_time": time,
                "language": "Hindi", "format": "2D",
            ], token: admin.accessToken)
    }
}
