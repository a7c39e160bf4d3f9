import Fluent
import FluentPostgresDriver
import FluentSQLiteDriver
import NIOSSL
import SQLKit
import Vapor

/// The one composition root, used by `main` and by every test.
public func configure(_ app: Application, config: AppConfig, services: AppServices) async throws {
    // Vapor 4 reads request and response coders from this process-wide value only (it has no per-application
    // one), so it is set whole, to one constant, rather than edited piece by piece while another app may be reading.
    ContentConfiguration.global = .api
    app.routes.defaultMaxBodySize = ByteCount(value: config.maxBodyBytes)

    try configureDatabase(app, config.database, connectionsPerLoop: config.postgresConnectionsPerLoop)
    app.migrations.addBoxOfficeMigrations()
    // Conditional updates, partial indexes and locks need SQL: refuse to start on anything else.
    let sql = try app.db.sql()
    if case .sqlite = config.database {
        // Readers never wait for the writer, and writers queue on the busy handler instead of failing.
        try await sql.raw("PRAGMA journal_mode=WAL").run()
    }

    var services = services
    let gateway = services.paymentGateway ?? makePaymentGateway(config, client: app.http.client.shared)
    services.paymentGateway = gateway
    announceGateway(app, gateway)
    let box = try await BoxOffice.build(app, config: config, services: services)
    app.storage[BoxOfficeKey.self] = box

    configureMiddleware(app, config: config, metrics: box.metrics, maintenance: box.maintenance)
    if config.httpIdleTimeoutSeconds > 0 {
        app.http.server.configuration.idleTimeout = .seconds(Int64(config.httpIdleTimeoutSeconds))
    }
    app.lifecycle.use(StartupLog(config: config))
    // Each feature once: its routes, and its background jobs unless this app runs none (tests).
    for feature in box.features {
        try feature.routes.forEach { try app.register(collection: $0) }
        if services.runsJobs { feature.jobs.forEach { app.lifecycle.use($0) } }
    }
    app.storage[OpenAPIDocumentKey.self] = try DocsController.encode(app.routes)

    app.asyncCommands.use(CreateAdminCommand(), as: "create-admin")
    app.asyncCommands.use(LoadTestCustomersCommand(), as: "load-test-customers")
    app.asyncCommands.use(SeedDemoCommand(), as: "seed-demo")
    app.asyncCommands.use(BackupCommand(), as: "backup")
    app.asyncCommands.use(RestoreCommand(), as: "restore")
}

private func configureDatabase(_ app: Application, _ location: DatabaseLocation, connectionsPerLoop: Int) throws {
    switch location {
    case .sqlite(let path):
        let directory = URL(fileURLWithPath: path).deletingLastPathComponent().path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        // Reads on their own connections; every write through the app's one writer (see `SQLiteWriterConfiguration`).
        let file = DatabaseConfigurationFactory.sqlite(.file(path), sqlLogLevel: .trace)
        // One connection per event loop; the writer's gate has one loop, so it writes on exactly one connection.
        let writer = DatabaseConfigurationFactory.sqlite(
            .file(path), maxConnectionsPerEventLoop: 1, sqlLogLevel: .trace)
        app.databases.use(SQLiteWriterConfiguration(readers: file.make(), writers: writer.make()), as: .sqlite)
    case .postgres(let url):
        var postgres = try SQLPostgresConfiguration(url: url)
        // Local servers speak plain TCP; `sslmode=require` in the URL turns TLS on.
        if !url.contains("sslmode=require") { postgres.coreConfiguration.tls = .disable }
        // Four connections per event loop by default: a rush of holds and bookings queues on the pool, not on one
        // socket.
        app.databases.use(
            .postgres(configuration: postgres, maxConnectionsPerEventLoop: connectionsPerLoop, sqlLogLevel: .trace),
            as: .psql)
    }
}

private func configureMiddleware(
    _ app: Application, config: AppConfig, metrics: any AppMetrics, maintenance: Maintenance
) {
    var middleware = Middlewares()
    // First, so every later middleware and route reads one client address.
    middleware.use(ClientAddressMiddleware(trustedProxies: config.trustedProxies))
    middleware.use(RequestIDMiddleware(metrics: metrics))
    if let cors = corsConfiguration(config.corsAllowedOrigins) {
        middleware.use(CORSMiddleware(configuration: cors))
    }
    middleware.use(ProblemDetailsMiddleware())
    middleware.use(SecurityHeadersMiddleware())
    middleware.use(
        RequestDeadlineMiddleware(
            limit: RequestDeadlineMiddleware.limit(
                requestTimeoutSeconds: config.requestTimeoutSeconds, idleTimeoutSeconds: config.httpIdleTimeoutSeconds),
            metrics: metrics))
    if config.maxConcurrentRequests > 0 {
        middleware.use(
            RequestGateMiddleware(
                gate: RequestGate(
                    limit: config.maxConcurrentRequests,
                    promoteAfter: .milliseconds(config.requestTimeoutSeconds * 400), metrics: metrics),
                seatMaps: RequestGate(limit: max(1, config.maxConcurrentRequests / 2), metrics: metrics)))
    }
    middleware.use(MaintenanceMiddleware(maintenance: maintenance))
    middleware.use(TrustedHostMiddleware(hosts: config.trustedHosts))
    middleware.use(StaticFilesMiddleware(prefix: "/docs/", publicDirectory: app.directory.publicDirectory))
    middleware.use(StaticFilesMiddleware(prefix: "/app/", publicDirectory: app.directory.publicDirectory))
    middleware.use(UploadsMiddleware(directory: config.uploadsDirectory))
    app.middleware = middleware
}

private func corsConfiguration(_ origins: AppConfig.CORSOrigins) -> CORSMiddleware.Configuration? {
    let allowed: CORSMiddleware.AllowOriginSetting
    switch origins {
    case .none: return nil
    case .any: allowed = .all
    case .list(let list): allowed = .any(list)
    }
    return CORSMiddleware.Configuration(
        allowedOrigin: allowed,
        allowedMethods: [.GET, .POST, .PUT, .PATCH, .DELETE, .OPTIONS],
        allowedHeaders: [
            .accept, .authorization, .contentType, .origin, .xRequestedWith, .xRequestId, "Idempotency-Key",
        ],
        exposedHeaders: [.xRequestId, .retryAfter, .location]
    )
}

/// A gateway that takes no money, or none at all, is said loudly at start.
private func announceGateway(_ app: Application, _ gateway: any PaymentGateway) {
    if let warning = gateway.startupWarning(production: app.environment == .production) {
        app.logger.log(level: warning.level, "\(warning.message)")
    }
}
