import ConsoleKit
import Vapor

/// `boxoffice seed-demo`: a demo cinema, idempotent; prints the demo credentials.
struct SeedDemoCommand: AsyncCommand {
    struct Signature: CommandSignature {}

    var help: String { "Fills a demo cinema: users, movies, two screens, a week of shows, GST, food and promo codes." }

    func run(using context: CommandContext, signature: Signature) async throws {
        let app = context.application
        try await app.autoMigrate()
        let report = try await DemoSeeder(app: app).run()
        let created = report.created.sorted { $0.key < $1.key }.map { "\($0.value) \($0.key)" }
        context.console.success(
            created.isEmpty
                ? "The demo cinema is already there; nothing changed."
                : "Created " + created.joined(separator: ", ") + ".")
        context.console.info("Admin: \(report.credentials.adminEmail) / \(report.credentials.adminPassword)")
        context.console.info("User:  \(report.credentials.userEmail) / \(report.credentials.userPassword)")
        context.console.info("These are demo credentials: never seed-demo a production database.")
    }
}
