import Vapor

/// Boots a configured app as `serve` does, for `main` and every test app alike: prepares the database
/// (`prepareToServe`), then boots Vapor's lifecycle, which starts the cache invalidation channel, the live bus and the
/// background jobs (unless `AppServices.runsJobs` is off, as in tests) and logs the start. Vapor's `serve` boots the
/// lifecycle itself only when nobody has yet, so it runs once either way.
public func boot(_ app: Application) async throws {
    try await prepareToServe(app)
    try await app.asyncBoot()
}

/// What `serve` does before it listens: migrate, mark restores a crash interrupted as failed, then create the
/// `ADMIN_EMAIL` admin if it is configured. Safe to run again.
public func prepareToServe(_ app: Application) async throws {
    try await app.autoMigrate()
    try await app.boxOffice.backups.markInterruptedRestores(on: app.db)
    if let admin = app.boxOffice.config.bootstrapAdmin {
        let outcome = try await app.boxOffice.adminBootstrap.ensureAdmin(
            email: admin.email, password: admin.password, name: admin.name, on: app.db)
        app.logger.info(
            "bootstrap admin", metadata: ["email": .string(admin.email.maskedEmail), "outcome": "\(outcome)"])
    }
}
