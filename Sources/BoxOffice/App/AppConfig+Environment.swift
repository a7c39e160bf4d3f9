import Foundation
import Vapor

/// Every problem found in the environment, reported together.
public struct ConfigError: Error, CustomStringConvertible, Equatable {
    public var problems: [String]

    public var description: String {
        "BoxOffice refuses to start; fix the configuration:\n" + problems.map { "  - \($0)" }.joined(separator: "\n")
    }
}

extension AppConfig {
    /// Parses the process environment. In `production` the development secrets are refused.
    public static func load(
        from env: [String: String] = ProcessInfo.processInfo.environment,
        environment: Environment
    ) throws -> AppConfig {
        var reader = EnvironmentReader(env: env)
        let isProduction = environment == .production

        let database: DatabaseLocation = reader.parse(
            "DATABASE_URL", default: .sqlite(path: DatabaseLocation.defaultSQLitePath),
            expected: "sqlite:///absolute/path.sqlite or postgres://user:password@host:port/database",
            DatabaseLocation.parse)
        let cluster = reader.string("REDIS_CLUSTER", default: "false").lowercased()
        if !["true", "false", "1", "0"].contains(cluster) { reader.problem("REDIS_CLUSTER must be true or false") }
        let redis: RedisURL? = reader.optional(
            "REDIS_URL", expected: "redis://[:password@]host:port/db or redis+cluster://host:port,host:port,…"
        ) { RedisURL($0, cluster: cluster == "true" || cluster == "1") }
        let jwtSecret = reader.string("JWT_SECRET", default: developmentJWTSecret)
        if isProduction && jwtSecret == developmentJWTSecret {
            reader.problem("JWT_SECRET must be set to a secret of your own in production")
        } else if jwtSecret.utf8.count < 32 {
            reader.problem("JWT_SECRET must be at least 32 bytes long (got \(jwtSecret.utf8.count))")
        }
        let webhookSecret = reader.string("PAYMENT_WEBHOOK_SECRET", default: developmentWebhookSecret)
        let holdTTL = reader.int("HOLD_TTL_SECONDS", default: 600, in: 30...3600)
        let paymentWindow = reader.int("PAYMENT_WINDOW_SECONDS", default: 900, in: 60...86_400)
        let timeZone: TimeZone = reader.parse(
            "CINEMA_TIME_ZONE", default: TimeZone(identifier: "Asia/Kolkata")!,
            expected: "an IANA time zone such as Asia/Kolkata"
        ) { TimeZone(identifier: $0) }
        let cors = reader.parse(
            "CORS_ALLOWED_ORIGINS", default: CORSOrigins.none,
            expected: "* or a comma-separated list of http(s) origins", parseCORS)
        let trustedHosts = reader.list("TRUSTED_HOSTS")
        let admin = reader.bootstrapAdmin()
        let github = reader.githubBackup()

        var config = AppConfig(
            database: database, redisURL: redis, jwtSecret: jwtSecret,
            holdTTLSeconds: holdTTL, paymentWindowSeconds: paymentWindow, cinemaTimeZone: timeZone,
            corsAllowedOrigins: cors, trustedHosts: trustedHosts, paymentWebhookSecret: webhookSecret,
            backupDirectory: reader.string("BACKUP_DIR", default: "data/backups"), githubBackup: github,
            uploadsDirectory: reader.string("UPLOADS_DIR", default: "data/uploads"), bootstrapAdmin: admin,
            bcryptCost: reader.int("BCRYPT_COST", default: 12, in: 10...16),
            maxBodyBytes: reader.int("MAX_BODY_BYTES", default: 64 << 10, in: 1024...(64 << 20))
        )
        config.showCleaningBufferMinutes = reader.int("SHOW_CLEANING_BUFFER_MINUTES", default: 15, in: 0...240)
        config.refundPolicy = reader.parse(
            "REFUND_POLICY", default: config.refundPolicy,
            expected: "hours:percent pairs such as 24:100,8:80", parseRefundPolicy)
        config.redisKeyPrefix = reader.string("REDIS_KEY_PREFIX", default: "bx:")
        // The keys' hash tags (`{show:<id>}`) keep each script's keys in one cluster slot: a brace in the prefix
        // would move the tag.
        if config.redisKeyPrefix.contains(where: { $0 == "{" || $0 == "}" }) {
            reader.problem("REDIS_KEY_PREFIX must not contain { or }")
        }
        config.maxSeatsPerUserPerShow = reader.int("MAX_SEATS_PER_USER_PER_SHOW", default: 10, in: 1...50)
        config.exchangeCutoffMinutes = reader.int("EXCHANGE_CUTOFF_MINUTES", default: 120, in: 0...10_080)
        config.exchangeFeeMinor = reader.int("EXCHANGE_FEE_MINOR", default: 0, in: 0...1_000_000)
        config.exchangeMax = reader.int("EXCHANGE_MAX", default: 2, in: 0...10)
        config.wsMaxPerUser = reader.int("WS_MAX_PER_USER", default: 5, in: 1...100)
        config.wsMaxPerAddress = reader.int("WS_MAX_PER_ADDRESS", default: 50, in: 1...100_000)
        if config.wsMaxPerAddress < config.wsMaxPerUser {
            reader.problem(
                "WS_MAX_PER_ADDRESS (\(config.wsMaxPerAddress)) must be at least "
                    + "WS_MAX_PER_USER (\(config.wsMaxPerUser))")
        }
        config.operatingHours = reader.parse(
            "OPERATING_HOURS", default: config.operatingHours,
            expected: "HH:MM-HH:MM in cinema time, e.g. 09:00-24:00", parseOperatingHours)
        config.paymentGateway = reader.parse(
            "PAYMENT_GATEWAY", default: isProduction ? .none : .simulator,
            expected: "simulator or razorpay"
        ) { AppConfig.PaymentGatewayChoice(rawValue: $0).flatMap { $0 == .none ? nil : $0 } }
        // The development default is in the source: it verifies the simulator's webhooks in development and tests
        // only. (Razorpay's webhooks are verified with RAZORPAY_WEBHOOK_SECRET alone.)
        let isDevelopment = environment == .development || environment == .testing
        if config.paymentGateway == .simulator && !isDevelopment && webhookSecret == developmentWebhookSecret {
            reader.problem(
                "PAYMENT_WEBHOOK_SECRET must be set to a secret of your own outside development "
                    + "(PAYMENT_GATEWAY=simulator in \(environment.name))")
        }
        if config.paymentGateway == .razorpay {
            let keys = (
                reader.string("RAZORPAY_KEY_ID", default: ""), reader.string("RAZORPAY_KEY_SECRET", default: ""),
                reader.string("RAZORPAY_WEBHOOK_SECRET", default: "")
            )
            if keys.0.isEmpty || keys.1.isEmpty || keys.2.isEmpty {
                reader.problem(
                    "PAYMENT_GATEWAY=razorpay needs RAZORPAY_KEY_ID, RAZORPAY_KEY_SECRET and RAZORPAY_WEBHOOK_SECRET")
            } else {
                config.razorpay = .init(
                    keyID: keys.0, keySecret: keys.1, webhookSecret: keys.2,
                    apiURL: reader.string("RAZORPAY_API_URL", default: "https://api.razorpay.com"),
                    checkoutScriptURL: reader.string(
                        "RAZORPAY_CHECKOUT_URL", default: "https://checkout.razorpay.com/v1/checkout.js"))
            }
        }
        // Backups are always on (`POST /backup`, the `backup` command), so production (and any environment but
        // development and testing) always needs its own key: the default is in the source.
        let backupKey = reader.string("BACKUP_SIGNING_KEY", default: developmentBackupSigningKey)
        if ![.development, .testing].contains(environment) && backupKey == developmentBackupSigningKey {
            reader.problem(
                "BACKUP_SIGNING_KEY must be set to a secret of your own in \(environment.name) (it signs backups)")
        } else if backupKey.utf8.count < 32 {
            reader.problem("BACKUP_SIGNING_KEY must be at least 32 bytes long (got \(backupKey.utf8.count))")
        }
        config.backupSigningKey = backupKey
        config.ticketSigningKeys = reader.ticketSigningKeys(environment: environment)
        config.backupMaxEntryBytes = reader.int("BACKUP_MAX_ENTRY_BYTES", default: 256 << 20, in: (1 << 20)...(1 << 40))
        config.backupMaxTotalBytes = reader.int("BACKUP_MAX_TOTAL_BYTES", default: 1 << 30, in: (1 << 20)...(1 << 42))
        config.simulatorFailRefunds = reader.int("SIMULATOR_FAIL_REFUNDS", default: 0, in: 0...1000)
        let metricsToken = reader.string("METRICS_TOKEN", default: "")
        if !metricsToken.isEmpty && metricsToken.utf8.count < 16 {
            reader.problem("METRICS_TOKEN must be at least 16 bytes long (got \(metricsToken.utf8.count))")
        }
        config.metricsToken = metricsToken.isEmpty ? nil : metricsToken
        config.httpIdleTimeoutSeconds = reader.int("HTTP_IDLE_TIMEOUT_SECONDS", default: 60, in: 0...86_400)
        config.requestTimeoutSeconds = reader.int("REQUEST_TIMEOUT_SECONDS", default: 10, in: 1...3600)
        // 16 a core: the PostgreSQL rush (BENCHMARKS.md) sold out in 20 s at 32 and 16 on two cores, 29–48 s at 64;
        // enough that requests awaiting a slow gateway (Razorpay, 8 s at most) do not fill every place at once.
        config.maxConcurrentRequests = reader.int(
            "MAX_CONCURRENT_REQUESTS", default: 16 * System.coreCount, in: 0...100_000)
        config.rateLimits = reader.rateLimits()
        // PostgreSQL connections in all, spread over the event loops (one per core): 4 per core unless set.
        let loops = System.coreCount
        let poolSize = reader.int("DATABASE_POOL_SIZE", default: 4 * loops, in: 1...1000)
        config.postgresConnectionsPerLoop = max(1, (poolSize + loops - 1) / loops)
        config.redisPoolSize = reader.int("REDIS_POOL_SIZE", default: 8, in: 1...256)
        config.redisConnectTimeoutMilliseconds = reader.int("REDIS_CONNECT_TIMEOUT_MS", default: 1000, in: 50...60_000)
        config.redisCommandTimeoutMilliseconds = reader.int("REDIS_COMMAND_TIMEOUT_MS", default: 2000, in: 50...60_000)
        config.trustedProxies = reader.trustedProxies()
        guard reader.problems.isEmpty else { throw ConfigError(problems: reader.problems) }
        return config
    }

    static func parseOperatingHours(_ raw: String) -> ClosedRange<Int>? {
        let parts = raw.split(separator: "-").map { LocalTime.minutes(String($0), allowMidnightEnd: true) }
        guard parts.count == 2, let open = parts[0], let close = parts[1], open < close else { return nil }
        return open...close
    }

    static func parseRefundPolicy(_ raw: String) -> [RefundTier]? {
        var tiers: [RefundTier] = []
        for pair in raw.split(separator: ",") {
            let parts = pair.split(separator: ":").map { Int($0.trimmingCharacters(in: .whitespaces)) }
            guard parts.count == 2, let hours = parts[0], let percent = parts[1], hours >= 0,
                (0...100).contains(percent)
            else { return nil }
            tiers.append(RefundTier(hoursBefore: hours, percent: percent))
        }
        return tiers.isEmpty ? nil : tiers.sorted { $0.hoursBefore > $1.hoursBefore }
    }

    static func parseCORS(_ raw: String) -> CORSOrigins? {
        let items = raw.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        if items == ["*"] { return .any }
        guard !items.isEmpty,
            items.allSatisfy({ ($0.hasPrefix("http://") || $0.hasPrefix("https://")) && URL(string: $0)?.host != nil })
        else { return nil }
        return .list(items)
    }
}

/// Reads variables and remembers what was wrong with them.
struct EnvironmentReader {
    let env: [String: String]
    private(set) var problems: [String] = []

    init(env: [String: String]) { self.env = env }

    mutating func problem(_ text: String) { problems.append(text) }

    func value(_ key: String) -> String? {
        guard let raw = env[key]?.trimmingCharacters(in: .whitespaces), !raw.isEmpty else { return nil }
        return raw
    }

    func string(_ key: String, default fallback: String) -> String { value(key) ?? fallback }

    func list(_ key: String) -> [String] {
        (value(key) ?? "").split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
    }

    mutating func parse<T>(_ key: String, default fallback: T, expected: String, _ parse: (String) -> T?) -> T {
        optional(key, expected: expected, parse) ?? fallback
    }

    mutating func optional<T>(_ key: String, expected: String, _ parse: (String) -> T?) -> T? {
        guard let raw = value(key) else { return nil }
        guard let parsed = parse(raw) else {
            problem("\(key) is not valid: expected \(expected)")
            return nil
        }
        return parsed
    }

    mutating func int(_ key: String, default fallback: Int, in range: ClosedRange<Int>) -> Int {
        guard let raw = value(key) else { return fallback }
        guard let number = Int(raw), range.contains(number) else {
            problem(
                "\(key)=\(raw) is not valid: expected a whole number from \(range.lowerBound) to \(range.upperBound)")
            return fallback
        }
        return number
    }

    mutating func bootstrapAdmin() -> AppConfig.BootstrapAdmin? {
        switch (value("ADMIN_EMAIL"), env["ADMIN_PASSWORD"]) {
        case (nil, nil): return nil
        case (let email?, let password?):
            var ok = true
            if Validator.email.validate(email).isFailure {
                problem("ADMIN_EMAIL is not a valid email address")
                ok = false
            }
            if password.count < 8 {
                problem("ADMIN_PASSWORD must be at least 8 characters")
                ok = false
            }
            return ok ? .init(email: email, password: password, name: value("ADMIN_NAME") ?? "Administrator") : nil
        default:
            problem("ADMIN_EMAIL and ADMIN_PASSWORD must be set together")
            return nil
        }
    }

    mutating func githubBackup() -> AppConfig.GitHubBackupConfig? {
        switch (value("GITHUB_BACKUP_REPO"), value("GITHUB_BACKUP_TOKEN")) {
        case (nil, nil): return nil
        case (let repo?, let token?):
            guard repo.split(separator: "/").count == 2 else {
                problem("GITHUB_BACKUP_REPO must look like owner/name")
                return nil
            }
            return .init(repository: repo, token: token, apiURL: value("GITHUB_API_URL") ?? "https://api.github.com")
        default:
            problem("GITHUB_BACKUP_REPO and GITHUB_BACKUP_TOKEN must be set together")
            return nil
        }
    }
}
