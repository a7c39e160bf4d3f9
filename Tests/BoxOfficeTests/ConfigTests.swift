import Foundation
import Testing
import Vapor
@testable import BoxOffice

@Suite("Configuration")
struct ConfigTests {
    @Test func defaultsServeSQLiteInDevelopment() throws {
        let config = try AppConfig.load(from: [:], environment: .development)
        #expect(config.database == .sqlite(path: "data/boxoffice.sqlite"))
        #expect(config.holdTTLSeconds == 600)
        #expect(config.paymentWindowSeconds == 900)
        #expect(config.cinemaTimeZone.identifier == "Asia/Kolkata")
        #expect(config.redisURL == nil)
        #expect(config.bcryptCost >= 10)
    }

    @Test func parsesEveryVariable() throws {
        let config = try AppConfig.load(
            from: [
                "DATABASE_URL": "postgres://bo:secret@db.internal:5433/boxoffice",
                "REDIS_URL": "redis://:pw@cache:6380/2",
                "JWT_SECRET": String(repeating: "k", count: 40),
                "HOLD_TTL_SECONDS": "300",
                "PAYMENT_WINDOW_SECONDS": "600",
                "CINEMA_TIME_ZONE": "Europe/London",
                "CORS_ALLOWED_ORIGINS": "https://a.example, https://b.example",
                "TRUSTED_HOSTS": "a.example,*.b.example",
                "ADMIN_EMAIL": "root@example.com", "ADMIN_PASSWORD": "long-enough",
                "GITHUB_BACKUP_REPO": "cinema/backups", "GITHUB_BACKUP_TOKEN": "t",
            ], environment: .development)
        #expect(config.database == .postgres(url: "postgres://bo:secret@db.internal:5433/boxoffice"))
        #expect(config.database.redacted.contains("***") && !config.database.redacted.contains("secret"))
        #expect(config.redisURL?.host == "cache" && config.redisURL?.port == 6380 && config.redisURL?.database == 2)
        #expect(config.redisURL?.password == "pw")
        #expect(config.holdTTLSeconds == 300)
        #expect(config.cinemaTimeZone.identifier == "Europe/London")
        #expect(config.corsAllowedOrigins == .list(["https://a.example", "https://b.example"]))
        #expect(config.trustedHosts == ["a.example", "*.b.example"])
        #expect(config.bootstrapAdmin?.email == "root@example.com")
        #expect(config.githubBackup?.apiURL == "https://api.github.com")
        let sqlite = try AppConfig.load(
            from: ["DATABASE_URL": "sqlite:///var/lib/bo.sqlite"], environment: .development)
        #expect(sqlite.database == .sqlite(path: "/var/lib/bo.sqlite"))
    }

    /// A Redis Cluster by its node list, or by one seed with `REDIS_CLUSTER=true`; a cluster has no database but 0.
    @Test func aRedisClusterIsNamedByItsNodesOrBySeed() throws {
        let nodes = try AppConfig.load(
            from: ["REDIS_URL": "redis+cluster://:pw@10.0.0.1:7000,10.0.0.2:7001"], environment: .development)
        #expect(nodes.redisURL?.isCluster == true && nodes.redisURL?.host == "10.0.0.1")
        #expect(try nodes.redisURL?.configuration().clusterNodes.map(\.port) == [7000, 7001])
        let seed = try AppConfig.load(
            from: ["REDIS_URL": "redis://10.0.0.1:7000", "REDIS_CLUSTER": "true"], environment: .development)
        #expect(seed.redisURL?.isCluster == true)
        #expect(try seed.redisURL?.configuration().isCluster == true)
        let single = try AppConfig.load(from: ["REDIS_URL": "redis://10.0.0.1:7000"], environment: .development)
        #expect(single.redisURL?.isCluster == false)
        #expect(throws: ConfigError.self) {
            try AppConfig.load(
                from: ["REDIS_URL": "redis://10.0.0.1:7000/2", "REDIS_CLUSTER": "true"], environment: .development)
        }
        #expect(throws: ConfigError.self) {
            try AppConfig.load(from: ["REDIS_URL": "redis+cluster://a:1,b:2/3"], environment: .development)
        }
        #expect(throws: ConfigError.self) {
            try AppConfig.load(from: ["REDIS_URL": "redis://a:1", "REDIS_CLUSTER": "maybe"], environment: .development)
        }
        #expect(throws: ConfigError.self) {
            try AppConfig.load(from: ["REDIS_KEY_PREFIX": "bx{1}:"], environment: .development)
        }
    }

    @Test func namesEveryBadValueAtOnce() {
        #expect {
            try AppConfig.load(
                from: [
                    "DATABASE_URL": "mysql://nope",
                    "REDIS_URL": "http://cache",
                    "HOLD_TTL_SECONDS": "ten",
                    "PAYMENT_WINDOW_SECONDS": "5",
                    "CINEMA_TIME_ZONE": "Mars/Olympus",
                    "CORS_ALLOWED_ORIGINS": "not a url",
                    "ADMIN_EMAIL": "root@example.com",
                ], environment: .development)
        } throws: { error in
            guard let error = error as? ConfigError else { return false }
            let text = error.description
            return error.problems.count == 7
                && [
                    "DATABASE_URL", "REDIS_URL", "HOLD_TTL_SECONDS", "PAYMENT_WINDOW_SECONDS", "CINEMA_TIME_ZONE",
                    "CORS_ALLOWED_ORIGINS", "ADMIN_PASSWORD",
                ].allSatisfy(text.contains)
        }
    }

    @Test func productionRefusesDefaultSecrets() {
        #expect {
            try AppConfig.load(from: ["PAYMENT_GATEWAY": "simulator"], environment: .production)
        } throws: { error in
            let text = (error as? ConfigError)?.description ?? ""
            return text.contains("JWT_SECRET") && text.contains("PAYMENT_WEBHOOK_SECRET")
                && text.contains("BACKUP_SIGNING_KEY")
        }
        let ok = try? AppConfig.load(
            from: [
                "JWT_SECRET": String(repeating: "s", count: 48), "PAYMENT_WEBHOOK_SECRET": "whsec-real",
                "BACKUP_SIGNING_KEY": String(repeating: "b", count: 48),
                "TICKET_SIGNING_KEY": Base64URL.encode(Data(repeating: 7, count: 32)),
            ], environment: .production)
        #expect(ok != nil)
    }

    /// Issue 26: the PostgreSQL pool and the Redis client's pool and timeouts come from the environment.
    @Test func poolSizesAndRedisTimeouts() throws {
        let defaults = try AppConfig.load(from: [:], environment: .development)
        #expect(defaults.postgresConnectionsPerLoop == 4)
        #expect(defaults.redisPoolSize == 8)
        #expect(defaults.redisConnectTimeoutMilliseconds == 1000 && defaults.redisCommandTimeoutMilliseconds == 2000)
        let loops = System.coreCount
        let set = try AppConfig.load(
            from: [
                "DATABASE_POOL_SIZE": "\(3 * loops)", "REDIS_POOL_SIZE": "16", "REDIS_CONNECT_TIMEOUT_MS": "300",
                "REDIS_COMMAND_TIMEOUT_MS": "750",
            ], environment: .development)
        #expect(set.postgresConnectionsPerLoop == 3)
        #expect(set.redisPoolSize == 16)
        #expect(set.redisConnectTimeoutMilliseconds == 300 && set.redisCommandTimeoutMilliseconds == 750)
        #expect(
            try AppConfig.load(from: ["DATABASE_POOL_SIZE": "1"], environment: .development).postgresConnectionsPerLoop
                == 1)
        for bad in [["DATABASE_POOL_SIZE": "0"], ["REDIS_POOL_SIZE": "1000"], ["REDIS_COMMAND_TIMEOUT_MS": "5"]] {
            #expect(throws: ConfigError.self) { try AppConfig.load(from: bad, environment: .development) }
        }
    }

    @Test func schedulingSettings() throws {
        let config = try AppConfig.load(
            from: ["OPERATING_HOURS": "10:30-23:00", "SHOW_CLEANING_BUFFER_MINUTES": "20"],
            environment: .development)
        #expect(config.operatingHours == 630...1380)
        #expect(config.showCleaningBufferMinutes == 20)
        let defaults = try AppConfig.load(from: [:], environment: .development)
        #expect(defaults.operatingHours == 540...1440 && defaults.showCleaningBufferMinutes == 15)
        for bad in ["23:00-10:00", "9-5", "09:00-25:00", "24:00-24:00"] {
            #expect(throws: ConfigError.self, "\(bad)") {
                try AppConfig.load(from: ["OPERATING_HOURS": bad], environment: .development)
            }
        }
    }

    @Test func refundPolicyParsesTiersMostGenerousFirst() throws {
        let config = try AppConfig.load(from: ["REFUND_POLICY": "8:50, 48:100"], environment: .development)
        #expect(config.refundPolicy == [.init(hoursBefore: 48, percent: 100), .init(hoursBefore: 8, percent: 50)])
        for bad in ["24:150", "x:1", "24"] {
            #expect(throws: ConfigError.self, "\(bad)") {
                try AppConfig.load(from: ["REFUND_POLICY": bad], environment: .development)
            }
        }
    }

    @Test func shortSecretIsRefused() {
        #expect(throws: ConfigError.self) {
            try AppConfig.load(from: ["JWT_SECRET": "short"], environment: .development)
        }
    }
}
