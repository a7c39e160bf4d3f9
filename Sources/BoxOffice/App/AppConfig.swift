import Foundation
import RESP
import Vapor

/// Every setting BoxOffice reads, parsed once at boot from the environment.
///
/// `AppConfig.load(from:environment:)` collects *every* bad or missing value before failing,
/// so an operator fixes a broken deployment in one pass instead of one restart per variable.
public struct AppConfig: Sendable {
    public static let developmentJWTSecret = "boxoffice-development-secret-change-me-0123456789"
    public static let developmentWebhookSecret = "boxoffice-development-webhook-secret"
    /// Signs backups in development and tests only: production refuses to start with it.
    public static let developmentBackupSigningKey = "boxoffice-development-backup-signing-key-change-me"

    public var database: DatabaseLocation
    public var redisURL: RedisURL?
    /// Prefix of every Redis key BoxOffice writes, so several deployments (or test runs) can share a server.
    public var redisKeyPrefix = "bx:"
    public var jwtSecret: String
    public var accessTokenLifetime: TimeInterval = 3600
    public var refreshTokenLifetime: TimeInterval = 7 * 24 * 3600
    public var holdTTLSeconds: Int
    public var paymentWindowSeconds: Int
    public var cinemaTimeZone: TimeZone
    public var corsAllowedOrigins: CORSOrigins
    public var trustedHosts: [String]
    public var paymentWebhookSecret: String
    public var backupDirectory: String
    public var githubBackup: GitHubBackupConfig?
    /// `BACKUP_SIGNING_KEY`: the HMAC-SHA256 key that signs every backup's manifest; a restore refuses any other.
    public var backupSigningKey = developmentBackupSigningKey
    /// `TICKET_SIGNING_KEY`: the Ed25519 keys that sign tickets (the first) and verify them (all); without it, in
    /// development, a key generated once into `data/`.
    public var ticketSigningKeys = TicketSigningKeys.file(path: TicketSigningKeys.defaultFile)
    /// `BACKUP_MAX_ENTRY_BYTES`, `BACKUP_MAX_TOTAL_BYTES`: the most one archive entry, and all of them, may unpack to.
    public var backupMaxEntryBytes = 256 << 20
    public var backupMaxTotalBytes = 1 << 30
    public var uploadsDirectory: String
    public var bootstrapAdmin: BootstrapAdmin?
    public var bcryptCost: Int
    public var maxBodyBytes: Int
    /// Cleaning time added after each show before the screen is free again.
    public var showCleaningBufferMinutes: Int = 15
    /// Daily operating hours in cinema time, as minutes from midnight (`24:00` is 1440).
    public var operatingHours: ClosedRange<Int> = (9 * 60)...(24 * 60)
    /// Refund on a customer's cancellation: the first tier whose hours before the show have not passed.
    /// Default: 100 % at least 24 h before, 80 % at least 8 h before, none after.
    public var refundPolicy: [RefundTier] = [
        RefundTier(hoursBefore: 24, percent: 100), RefundTier(hoursBefore: 8, percent: 80),
    ]

    public struct RefundTier: Sendable, Equatable {
        public var hoursBefore: Int
        public var percent: Int
    }

    /// Every rate limit (`RATE_LIMIT_*`).
    public var rateLimits = RateLimits()
    /// Proxies whose `X-Forwarded-For` is believed (`TRUSTED_PROXIES`); none by default, so the header is ignored.
    public var trustedProxies: [IPNetwork] = []

    /// Most seats one customer may hold at one show.
    public var maxSeatsPerUserPerShow = 10
    /// `EXCHANGE_CUTOFF_MINUTES`: a booking can be exchanged until this long before its show starts.
    public var exchangeCutoffMinutes = 120
    /// `EXCHANGE_FEE_MINOR`: what each exchange costs on top of the price difference, in paise.
    public var exchangeFeeMinor = 0
    /// `EXCHANGE_MAX`: the most exchanges one booking may have.
    public var exchangeMax = 2
    /// `WS_MAX_PER_USER`, `WS_MAX_PER_ADDRESS`: most live sockets open at once for one user, and from one client
    /// address, over every instance; one more upgrade is a 429.
    public var wsMaxPerUser = 5
    public var wsMaxPerAddress = 50
    /// `GET /metrics` wants this bearer token; nil: only loopback clients may scrape.
    public var metricsToken: String?
    /// HTTP connections (and WebSockets) with no byte read or written for this long are closed; 0 never closes.
    public var httpIdleTimeoutSeconds = 60
    /// Live sockets with no whole message, ping or pong for this long are closed (1001); nil: `httpIdleTimeoutSeconds`.
    /// Not read from the environment: tests shorten it without shortening every request's deadline with it.
    public var liveIdleTimeoutSeconds: Int?
    /// The longest a request may take before it is answered 503 `request_timeout` (kept under the idle timeout).
    public var requestTimeoutSeconds = 10
    /// Requests (with a deadline) running at once; the rest wait in line, first come first served (`RequestGate`).
    /// 0: no limit.
    public var maxConcurrentRequests = 32
    /// PostgreSQL connections per event loop (so per core). Tests use fewer: dozens of test apps share one server.
    public var postgresConnectionsPerLoop = 4
    /// The Redis client's pool and timeouts: long enough that two busy cores do not shed holds as 503s, short enough
    /// that a request still fails fast when Redis is down.
    public var redisPoolSize = 8
    public var redisConnectTimeoutMilliseconds = 1000
    public var redisCommandTimeoutMilliseconds = 2000
    /// Which gateway takes payments. Production has none unless `PAYMENT_GATEWAY` names one, so the simulator
    /// (which confirms bookings without money) never runs there by accident.
    public var paymentGateway: PaymentGatewayChoice = .simulator
    /// The simulator's first N refund calls fail (`SIMULATOR_FAIL_REFUNDS`), to exercise refund retries.
    public var simulatorFailRefunds = 0

    public enum PaymentGatewayChoice: String, Sendable, Equatable {
        case simulator
        case razorpay
        case none
    }

    /// `RAZORPAY_KEY_ID`, `RAZORPAY_KEY_SECRET`, `RAZORPAY_WEBHOOK_SECRET`, `RAZORPAY_API_URL`: required together
    /// when `PAYMENT_GATEWAY=razorpay`.
    public var razorpay: RazorpayKeys?

    public struct RazorpayKeys: Sendable, Equatable {
        public var keyID: String
        public var keySecret: String
        public var webhookSecret: String
        public var apiURL: String
        /// Razorpay Checkout's script, which the web client loads in razorpay mode (`RAZORPAY_CHECKOUT_URL`).
        public var checkoutScriptURL: String = "https://checkout.razorpay.com/v1/checkout.js"
    }

    public struct BootstrapAdmin: Sendable, Equatable {
        public var email: String
        public var password: String
        public var name: String
    }

    public struct GitHubBackupConfig: Sendable, Equatable {
        public var repository: String
        public var token: String
        public var apiURL: String
    }

    public enum CORSOrigins: Sendable, Equatable {
        case none
        case any
        case list([String])
    }

    /// A configuration for tests and tools: a given database, development secrets, fast hashing.
    public static func testing(database: DatabaseLocation) -> AppConfig {
        var config = AppConfig(
            database: database, redisURL: nil, jwtSecret: developmentJWTSecret, holdTTLSeconds: 600,
            paymentWindowSeconds: 900, cinemaTimeZone: TimeZone(identifier: "Asia/Kolkata")!,
            corsAllowedOrigins: .none, trustedHosts: [], paymentWebhookSecret: developmentWebhookSecret,
            backupDirectory: NSTemporaryDirectory() + "boxoffice-backups", githubBackup: nil,
            uploadsDirectory: NSTemporaryDirectory() + "boxoffice-uploads", bootstrapAdmin: nil,
            bcryptCost: 4, maxBodyBytes: 1 << 20
        )
        config.postgresConnectionsPerLoop = 2
        // A fresh key per test app, in memory: tests neither share nor leave a key file.
        config.ticketSigningKeys = .seeds([Curve25519.Signing.PrivateKey().rawRepresentation])
        config.rateLimits = .testing
        // The suites run hundreds of tests at once on two cores against PostgreSQL, where building a screen's grid
        // can take longer than the production limit; the deadline has its own tests (RequestDeadlineTests).
        config.requestTimeoutSeconds = 120
        return config
    }
}

/// Where the data lives: a SQLite file or a PostgreSQL server.
public enum DatabaseLocation: Sendable, Equatable {
    case sqlite(path: String)
    case postgres(url: String)

    public static let defaultSQLitePath = "data/boxoffice.sqlite"

    /// `sqlite:///absolute/path.sqlite`, `sqlite://relative/path.sqlite` or `postgres://user:pass@host:port/db`.
    public static func parse(_ raw: String) -> DatabaseLocation? {
        if raw.hasPrefix("sqlite://") {
            let path = String(raw.dropFirst("sqlite://".count))
            return path.isEmpty || path.hasSuffix("/") ? nil : .sqlite(path: path)
        }
        if raw.hasPrefix("postgres://") || raw.hasPrefix("postgresql://") {
            guard let url = URL(string: raw), url.host?.isEmpty == false else { return nil }
            return .postgres(url: raw)
        }
        return nil
    }

    /// A description safe for logs: no password.
    public var redacted: String {
        switch self {
        case .sqlite(let path): return "sqlite at \(path)"
        case .postgres(let raw):
            guard var parts = URLComponents(string: raw) else { return "postgres" }
            if parts.password != nil { parts.password = "***" }
            return parts.string ?? "postgres"
        }
    }
}

/// `redis://[[user]:password@]host[:port][/db]`, or a cluster: `redis+cluster://[[user]:password@]host:port,host:port,…`
/// (or a `redis://` seed with `REDIS_CLUSTER=true`). Validated at boot by the RESP client's own parser; `host` and
/// `port` are the first node's.
public struct RedisURL: Sendable, Equatable {
    public var host: String
    public var port: Int
    public var password: String?
    public var database: Int
    public var raw: String
    /// A Redis Cluster: commands are routed to the master of their keys' slot.
    public var isCluster: Bool

    public init?(_ raw: String, cluster: Bool = false) {
        guard var configuration = try? RedisConfiguration(url: raw) else { return nil }
        if cluster, !configuration.isCluster {
            guard (try? configuration.useAsClusterSeed()) != nil else { return nil }
        }
        self.host = configuration.host
        self.port = configuration.port
        self.password = configuration.password
        self.database = configuration.database
        self.raw = raw
        self.isCluster = configuration.isCluster
    }

    /// The RESP client's configuration for this URL.
    func configuration() throws -> RedisConfiguration {
        var configuration = try RedisConfiguration(url: raw)
        if isCluster, !configuration.isCluster { try configuration.useAsClusterSeed() }
        return configuration
    }
}
