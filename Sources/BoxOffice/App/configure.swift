import Fluent
import FluentPostgresDriver
import FluentSQLiteDriver
import NIOSSL
import SQLKit
import Vapor

/// The one composition root, used by `main` and by every test.
public func configure(_ app: Application, config: AppConfig, services: AppServices) async throws {
    ContentConfiguration.global.use(encoder: JSONEncoder.api, for: .json)
    ContentConfiguration.global.use(decoder: JSONDecoder.api, for: .json)
    // Query strings read dates as ISO 8601 too (never seconds since 1970); routes use `Request.queryDate`.
    ContentConfiguration.global.use(urlDecoder: URLEncodedFormDecoder(configuration: .init(dateDecodingStrategy: .iso8601)))
    app.routes.defaultMaxBodySize = ByteCount(value: config.maxBodyBytes)

    try configureDatabase(app, config.database)
    app.migrations.addBoxOfficeMigrations()
    if case .sqlite = config.database, let sql = app.db as? any SQLDatabase {
        // Readers never wait for the writer, and writers queue on the busy handler instead of failing.
        try await sql.raw("PRAGMA journal_mode=WAL").run()
    }

    let tokens = await TokenService.make(secret: config.jwtSecret, clock: services.clock, config: config)
    let hashingPool = PasswordHasher.makePool()
    app.lifecycle.use(PasswordPoolShutdown(pool: hashingPool))
    let hasher = try PasswordHasher(cost: config.bcryptCost, pool: hashingPool)
    let accounts = AccountService(hasher: hasher, tokens: tokens, clock: services.clock)
    app.storage[BoxOfficeKey.self] = BoxOffice(
        config: config, services: services, accounts: accounts, adminBootstrap: AdminBootstrap(hasher: hasher, clock: services.clock))

    configureMiddleware(app, config: config)

    let authenticator = UserAuthenticator(tokens: tokens)
    let redis = try makeRedisClient(app, config: config)
    var checks: [any ReadinessCheck] = [DatabaseReadiness()]
    if let redis { checks.append(RedisReadiness(redis: redis)) }
    try app.register(collection: HealthController(checks: checks))
    try app.register(collection: DocsController())
    try app.register(collection: UserController(
        accounts: accounts, authenticator: authenticator, loginLimiter: services.loginLimiter,
        loginAttemptsPerMinute: config.loginAttemptsPerMinute))
    try app.register(collection: AdminUserController(accounts: accounts, authenticator: authenticator))
    let holds = HoldService(
        store: makeHoldStore(redis: redis, config: config, services: services),
        layouts: LayoutCache(clock: services.clock), clock: services.clock, metrics: services.metrics,
        ttl: TimeInterval(config.holdTTLSeconds), maxSeatsPerUser: config.maxSeatsPerUserPerShow)
    app.lifecycle.use(HoldSweeper(holds: holds))
    app.storage[HoldServiceKey.self] = holds
    let expiry = BookingExpiry(clock: services.clock)
    let idempotency = Idempotency(clock: services.clock)
    app.lifecycle.use(BookingExpiryJob(expiry: expiry, idempotency: idempotency))
    let payments = PaymentService(gateway: makePaymentGateway(app, config: config, services: services), expiry: expiry,
        events: services.events, clock: services.clock, metrics: services.metrics)
    app.lifecycle.use(RefundDeliveryJob(payments: payments))
    app.storage[PaymentServiceKey.self] = payments
    let cancellations = CancellationService(payments: payments, policy: config.refundPolicy)
    let context = RouteContext(config: config, services: services, authenticator: authenticator, holds: holds,
        cancellations: cancellations)
    try registerCatalogRoutes(app, context: context)
    try registerOfferRoutes(app, context: context)
    try app.register(collection: SeatLockController(context: context, holds: holds))
    try app.register(collection: SeatMapController(context: context, holds: holds))
    try app.register(collection: BookingController(
        context: context,
        bookings: BookingService(holds: holds, discounts: DiscountService(clock: services.clock), clock: services.clock,
            metrics: services.metrics, paymentWindow: TimeInterval(config.paymentWindowSeconds), expiry: expiry),
        expiry: expiry, idempotency: idempotency))
    try app.register(collection: PaymentController(context: context, payments: payments, idempotency: idempotency,
        signature: WebhookSignature(secret: config.paymentWebhookSecret)))

    app.asyncCommands.use(CreateAdminCommand(), as: "create-admin")
    app.asyncCommands.use(SeedDemoCommand(), as: "seed-demo")
}

/// What `serve` does before it listens: migrate, then create the `ADMIN_EMAIL` admin if it is configured.
public func prepareToServe(_ app: Application) async throws {
    try await app.autoMigrate()
    if let admin = app.boxOffice.config.bootstrapAdmin {
        let outcome = try await app.boxOffice.adminBootstrap.ensureAdmin(
            email: admin.email, password: admin.password, name: admin.name, on: app.db)
        app.logger.info("bootstrap admin", metadata: ["email": .string(admin.email), "outcome": "\(outcome)"])
    }
}

private func configureDatabase(_ app: Application, _ location: DatabaseLocation) throws {
    switch location {
    case .sqlite(let path):
        let directory = URL(fileURLWithPath: path).deletingLastPathComponent().path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        app.databases.use(.sqlite(.file(path), sqlLogLevel: .trace), as: .sqlite)
    case .postgres(let url):
        var postgres = try SQLPostgresConfiguration(url: url)
        // Local servers speak plain TCP; `sslmode=require` in the URL turns TLS on.
        if !url.contains("sslmode=require") { postgres.coreConfiguration.tls = .disable }
        app.databases.use(.postgres(configuration: postgres, sqlLogLevel: .trace), as: .psql)
    }
}

private func configureMiddleware(_ app: Application, config: AppConfig) {
    var middleware = Middlewares()
    middleware.use(RequestIDMiddleware())
    if let cors = corsConfiguration(config.corsAllowedOrigins) {
        middleware.use(CORSMiddleware(configuration: cors))
    }
    middleware.use(ProblemDetailsMiddleware())
    middleware.use(TrustedHostMiddleware(hosts: config.trustedHosts))
    middleware.use(StaticFilesMiddleware(prefix: "/docs/", publicDirectory: app.directory.publicDirectory))
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
        allowedHeaders: [.accept, .authorization, .contentType, .origin, .xRequestedWith, .xRequestId, "Idempotency-Key"],
        exposedHeaders: [.xRequestId, .retryAfter, .location]
    )
}

/// What the app built at boot, for commands and lifecycle code.
struct BoxOffice: Sendable {
    let config: AppConfig
    let services: AppServices
    let accounts: AccountService
    let adminBootstrap: AdminBootstrap
}

enum BoxOfficeKey: StorageKey { typealias Value = BoxOffice }
enum HoldServiceKey: StorageKey { typealias Value = HoldService }
enum PaymentServiceKey: StorageKey { typealias Value = PaymentService }

/// The gateway the caller passed, else the one the configuration names. The simulator confirms bookings
/// without money, so running it in production is said loudly.
private func makePaymentGateway(_ app: Application, config: AppConfig, services: AppServices) -> any PaymentGateway {
    if let gateway = services.paymentGateway { return gateway }
    switch config.paymentGateway {
    case .simulator:
        if app.environment == .production {
            app.logger.critical("PAYMENT_GATEWAY=simulator in production: bookings can be confirmed without payment")
        }
        return SimulatorGateway(failRefunds: config.simulatorFailRefunds)
    case .none:
        app.logger.warning("no payment gateway is configured (PAYMENT_GATEWAY): payments answer 503")
        return UnconfiguredGateway()
    }
}

extension Application {
    var boxOffice: BoxOffice {
        guard let value = storage[BoxOfficeKey.self] else { fatalError("configure(_:config:services:) was not called") }
        return value
    }
}
