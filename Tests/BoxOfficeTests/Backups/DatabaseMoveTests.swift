import ConsoleKit
import Foundation
import Testing
import Vapor
import VaporTesting

@testable import BoxOffice

/// The README's move from the embedded SQLite file to PostgreSQL, with the two commands an operator types.
@Suite("Moving from SQLite to PostgreSQL")
struct DatabaseMoveTests {
    @Test(.enabled(if: TestDatabase.isPostgres, "needs TEST_DATABASE_URL (PostgreSQL)"))
    func aCinemaMovesFromSQLiteToPostgreSQLWithTwoCommands() async throws {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("bx-move-\(UUID().uuidString).zip")
        defer { try? FileManager.default.removeItem(at: file) }
        let sqlite = try TestDatabase.sqlite()
        defer { Task { await sqlite.drop() } }

        var answers: [String: String] = [:]
        var trail: Set<UUID> = []
        try await withTestDatabase(sqlite) { t in
            _ = try await DemoSeeder(app: t.app).run()
            answers = try await Self.answers(t)
            trail = Set(try await AuditLog.query(on: t.app.db).all().compactMap(\.id))
            // `boxoffice backup --out FILE`, on the SQLite database.
            try await Self.run(BackupCommand(), ["--out", file.path], on: t.app)
        }
        #expect(answers.count >= 5)
        try await withTestApp { t in
            // `boxoffice restore --file FILE`, with DATABASE_URL naming PostgreSQL.
            try await Self.run(RestoreCommand(), ["--file", file.path], on: t.app)
            let moved = try await Self.answers(t)
            // The audit trail moves too (a restore adds the rows a table lacks), with the restore's own row.
            let movedTrail = try await AuditLog.query(on: t.app.db).all()
            #expect(Set(movedTrail.compactMap(\.id)).isSuperset(of: trail))
            #expect(movedTrail.contains { $0.action == "restore.create" && $0.$actor.id == nil })
            for (path, body) in answers.sorted(by: { $0.key < $1.key }) {
                #expect(moved[path] == body, "\(path) answers differently on PostgreSQL")
            }
            // And the demo admin can sign in there.
            let login = try await t.request(
                .POST, "/users/login",
                json: [
                    "email": DemoSeeder.Credentials().adminEmail, "password": DemoSeeder.Credentials().adminPassword,
                ])
            #expect(login.status == .ok, "\(login.body.string)")
        }
    }

    /// What clients read: the catalog, a day of shows and one show's seat map.
    static func answers(_ t: TestApp) async throws -> [String: String] {
        var answers: [String: String] = [:]
        for path in ["/movies?limit=100", "/screens", "/food-items?limit=100", "/gst"] {
            answers[path] = try await t.request(.GET, path).body.string
        }
        let tomorrow = CinemaTime(timeZone: t.config.cinemaTimeZone).localDate(t.clock.now().addingTimeInterval(86_400))
        let showsPath = "/shows?date=\(tomorrow)&limit=100"
        let shows = try await t.request(.GET, showsPath)
        answers[showsPath] = shows.body.string
        let show = try #require(try shows.content.decode(Page<ShowResponse>.self).items.first)
        let seatMap = "/shows/\(show.id)/availability"
        answers[seatMap] = try await t.request(.GET, seatMap).body.string
        return answers
    }

    static func run(_ command: any AsyncCommand, _ arguments: [String], on app: Application) async throws {
        var context = CommandContext(console: app.console, input: CommandInput(arguments: ["boxoffice"] + arguments))
        context.application = app
        try await command.run(using: &context)
    }
}
