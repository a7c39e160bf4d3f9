import Fluent
import RESP
import Vapor

/// Every service of the app, built once by `configure` from the configuration and the replaceable parts, and
/// kept on the application for commands, jobs and tests. Controllers get the few they use, by initialiser.
struct BoxOffice: Sendable {
    let config: AppConfig
    let clock: any AppClock
    let metrics: any AppMetrics
    let throttle: Throttle
    let accounts: AccountService
    let adminBootstrap: AdminBootstrap
    let authenticator: UserAuthenticator
    let redis: RedisClient?
    let freshness: Freshness
    let lists: ResponseCache
    let layoutCache: LayoutCache
    let holds: HoldService
    let live: any LiveBus
    let notifications: NotificationService
    let availability: AvailabilityService
    let outbox: OutboxRelay
    let expiry: BookingLifecycle
    let idempotency: Idempotency
    let discounts: DiscountService
    let bookings: BookingService
    let payments: PaymentService
    let cancellations: CancellationService
    let exchanges: ExchangeService
    let movies: MovieService
    let screens: ScreenService
    let seats: SeatService
    let layouts: LayoutService
    let shows: ShowService
    let gst: GSTService
    let food: FoodService
    let feedback: FeedbackService
    let audit: AuditService
    let maintenance: Maintenance
    let backups: BackupService
    let tickets: TicketService
    let reports: ReportService
    let pricing: DemandPricingService
    let waitingRooms: WaitingRoomService
    /// Where the web client's files are served from.
    let publicDirectory: String

    static func build(_ app: Application, config: AppConfig, services: AppServices) async throws -> BoxOffice {
        let clock = services.clock
        let tokens = await TokenService.make(secret: config.jwtSecret, clock: clock, config: config)
        let hashingPool = PasswordHasher.makePool()
        app.lifecycle.use(PasswordPoolShutdown(pool: hashingPool))
        let hasher = try PasswordHasher(cost: config.bcryptCost, pool: hashingPool)
        let redis = try makeRedisClient(app, config: config)
        let freshness = Freshness(redis: redis, channel: config.redisKeyPrefix + "invalidate", logger: app.logger)
        app.lifecycle.use(FreshnessLifecycle(freshness: freshness))
        let sessions = SessionCache(freshness: freshness)
        let layoutCache = LayoutCache(freshness: freshness)
        let live = makeLiveBus(app, redis: redis, config: config, metrics: services.metrics)
        app.lifecycle.use(LiveBusLifecycle(bus: live))
        await live.hub.use(
            .make(app, config: config, redis: redis, freshness: freshness, metrics: services.metrics))
        var holds = HoldService(
            store: makeHoldStore(redis: redis, config: config, services: services),
            snapshots: SeatMapSnapshots(
                layouts: layoutCache, freshness: freshness, clock: clock,
                maxSeatsPerCustomer: config.maxSeatsPerUserPerShow),
            live: live,
            clock: clock, metrics: services.metrics, ttl: TimeInterval(config.holdTTLSeconds),
            maxSeatsPerUser: config.maxSeatsPerUserPerShow)
        let waitingRooms = WaitingRoomService(
            store: redis.map { RedisWaitingQueueStore(redis: $0, prefix: config.redisKeyPrefix) }
                ?? InProcessWaitingQueueStore(),
            snapshots: holds.snapshots, tokens: AdmissionToken(secret: config.jwtSecret), clock: clock)
        holds.admissions = waitingRooms
        let notifications = NotificationService(clock: clock)
        // Every delivered booking event marks its show's seats as changed, here and on the other instances; then it
        // becomes a notification and a live event.
        let outbox = OutboxRelay(
            bus: SeatChangeEventBus(
                next: NotificationRecorder(notifications: notifications, live: live, next: services.events),
                freshness: freshness),
            clock: clock)
        let expiry = BookingLifecycle(clock: clock, outbox: outbox)
        let discounts = DiscountService(clock: clock)
        let pricingCache = PricingCache(freshness: freshness)
        var payments = PaymentService(
            gateway: services.paymentGateway ?? UnconfiguredGateway(), bookings: expiry,
            outbox: outbox, clock: clock, metrics: services.metrics)
        let holdStore = holds.store
        payments.releaseHold = { id in _ = try? await holdStore.release(id) }
        let cancellations = CancellationService(payments: payments, policy: config.refundPolicy)
        let screens = ScreenService()
        let audit = AuditService(clock: clock)
        let maintenance = Maintenance()
        let backups = BackupService(
            directory: URL(fileURLWithPath: config.backupDirectory, isDirectory: true),
            destination: config.githubBackup.map {
                GitHubBackupDestination(
                    repository: $0.repository, token: $0.token, apiURL: $0.apiURL, client: app.http.client.shared)
            } ?? LocalBackupDestination(),
            maintenance: maintenance, holds: holds, freshness: freshness, clock: clock, threadPool: app.threadPool,
            logger: app.logger, signer: BackupSigner(key: config.backupSigningKey),
            limits: BackupLimits(maxEntryBytes: config.backupMaxEntryBytes, maxTotalBytes: config.backupMaxTotalBytes),
            sessions: sessions, audit: audit)
        let tickets = try TicketService(
            keys: try TicketKeyring.load(config.ticketSigningKeys, logger: app.logger), clock: clock, audit: audit,
            time: CinemaTime(timeZone: config.cinemaTimeZone))
        return BoxOffice(
            config: config, clock: clock, metrics: services.metrics,
            throttle: Throttle(
                limiter: makeRateLimiter(app, redis: redis, config: config, services: services),
                limits: config.rateLimits),

            accounts: AccountService(hasher: hasher, tokens: tokens, clock: clock, sessions: sessions),
            adminBootstrap: AdminBootstrap(hasher: hasher, clock: clock, sessions: sessions, audit: audit),
            authenticator: UserAuthenticator(tokens: tokens, sessions: sessions), redis: redis, freshness: freshness,
            lists: ResponseCache(freshness: freshness), layoutCache: layoutCache, holds: holds, live: live,
            notifications: notifications,
            availability: AvailabilityService(holds: holds), outbox: outbox, expiry: expiry,
            idempotency: Idempotency(clock: clock), discounts: discounts,
            bookings: BookingService(
                holds: holds, discounts: discounts, clock: clock, metrics: services.metrics,
                paymentWindow: TimeInterval(config.paymentWindowSeconds), lifecycle: expiry,
                pricing: pricingCache),
            payments: payments, cancellations: cancellations,
            exchanges: ExchangeService(
                holds: holds, discounts: discounts, pricing: pricingCache, payments: payments,
                settings: .init(
                    cutoffMinutes: config.exchangeCutoffMinutes, feeMinor: config.exchangeFeeMinor,
                    maxPerBooking: config.exchangeMax, paymentWindow: TimeInterval(config.paymentWindowSeconds))),
            movies: MovieService(posters: PosterStore(directory: config.uploadsDirectory)), screens: screens,
            seats: SeatService(), layouts: LayoutService(screens: screens, clock: clock),
            shows: ShowService(config: config, clock: clock, cancellations: cancellations), gst: GSTService(),
            food: FoodService(), feedback: FeedbackService(clock: clock, outbox: outbox), audit: audit,
            maintenance: maintenance,
            backups: backups, tickets: tickets,
            reports: ReportService(time: CinemaTime(timeZone: config.cinemaTimeZone)),
            pricing: DemandPricingService(holds: holds, clock: clock), waitingRooms: waitingRooms,
            publicDirectory: app.directory.publicDirectory)
    }
}

enum BoxOfficeKey: StorageKey { typealias Value = BoxOffice }

extension Application {
    var boxOffice: BoxOffice {
        guard let value = storage[BoxOfficeKey.self] else { fatalError("configure(_:config:services:) was not called") }
        return value
    }
}
