import Testing

@testable import RESP

@Suite struct RedisConfigurationTests {
    @Test func parsesAFullURL() throws {
        let config = try RedisConfiguration(url: "redis://:s3cret@10.0.0.5:6380/2")
        #expect(config.host == "10.0.0.5")
        #expect(config.port == 6380)
        #expect(config.username == nil)
        #expect(config.password == "s3cret")
        #expect(config.database == 2)
    }

    @Test func appliesDefaults() throws {
        let config = try RedisConfiguration(url: "redis://localhost")
        #expect(config.host == "localhost")
        #expect(config.port == 6379)
        #expect(config.password == nil)
        #expect(config.database == 0)
        #expect(config.connectTimeout == .milliseconds(250))
        #expect(config.commandTimeout == .milliseconds(500))
        #expect(config.maximumConnections == 4)
        #expect(try RedisConfiguration(url: "redis://h:1/").database == 0)
    }

    @Test func parsesUsernameAndPercentEncodedPassword() throws {
        let config = try RedisConfiguration(url: "redis://boxoffice:p%40ss%3Aw%2Fd@redis.internal:6379/0")
        #expect(config.username == "boxoffice")
        #expect(config.password == "p@ss:w/d")
        #expect(config.host == "redis.internal")
    }

    @Test func passwordMayContainAnUnencodedAt() throws {
        let config = try RedisConfiguration(url: "redis://:a@b@host")
        #expect(config.password == "a@b")
        #expect(config.host == "host")
    }

    @Test func parsesIPv6Hosts() throws {
        let config = try RedisConfiguration(url: "redis://[::1]:7000/1")
        #expect(config.host == "::1")
        #expect(config.port == 7000)
        #expect(config.description == "redis://[::1]:7000/1")
    }

    @Test func schemeIsCaseInsensitiveAndEmptyPasswordMeansNone() throws {
        #expect(try RedisConfiguration(url: "REDIS://:@h").password == nil)
    }

    @Test(arguments: [
        ("localhost:6379", RedisURLError.notAURL),
        ("http://localhost", .unsupportedScheme("http")),
        ("rediss://localhost", .tlsNotSupported),
        ("redis://", .missingHost),
        ("redis://:pw@:6379", .missingHost),
        ("redis://host:abc", .invalidPort("abc")),
        ("redis://host:0", .invalidPort("0")),
        ("redis://host:70000", .invalidPort("70000")),
        ("redis://host:", .invalidPort("")),
        ("redis://host/x", .invalidDatabase("x")),
        ("redis://host/-1", .invalidDatabase("-1")),
        ("redis://host/1/2", .invalidDatabase("1/2")),
        ("redis://host?db=1", .unsupportedQuery),
        ("redis://a:b:6379", .invalidHost("a:b")),
        ("redis://[::1", .invalidHost("[::1")),
        ("redis://:p%4@host", .invalidPercentEncoding(part: "password")),
        ("redis://user@host", .usernameWithoutPassword),
        ("redis+cluster://a:7000,b:7001/2", .databaseInCluster("2")),
        ("redis+cluster://a:7000,", .missingHost),
        ("redis+cluster://a:7000,b:x", .invalidPort("x")),
        ("redis+cluster://a:7000/x", .invalidDatabase("x")),
        ("rediss+cluster://a:7000", .tlsNotSupported),
        ("redis://a:7000,b:7001", .hostListWithoutCluster),
    ])
    func refusesBadURLsWithAClearError(url: String, expected: RedisURLError) {
        #expect(throws: expected) { try RedisConfiguration(url: url) }
    }

    @Test func errorsAndDescriptionNeverShowThePassword() throws {
        let config = try RedisConfiguration(url: "redis://admin:hunter2@h:1/3")
        #expect(config.description == "redis://admin:***@h:1/3")
        do {
            _ = try RedisConfiguration(url: "redis://:hunter2@h:notaport")
            Issue.record("expected an error")
        } catch {
            #expect(!error.description.contains("hunter2"))
            #expect(error.description.contains("notaport"))
        }
    }

    @Test func aSingleServerIsNotACluster() throws {
        let config = try RedisConfiguration(url: "redis://h:1")
        #expect(!config.isCluster)
        #expect(config.clusterNodes.isEmpty)
    }

    @Test func parsesAClusterURL() throws {
        let config = try RedisConfiguration(url: "redis+cluster://app:s%40cret@10.0.0.5:7000,10.0.0.6,[::1]:7002/0")
        #expect(config.isCluster)
        #expect(
            config.clusterNodes == [
                RedisNodeAddress(host: "10.0.0.5", port: 7000), RedisNodeAddress(host: "10.0.0.6", port: 6379),
                RedisNodeAddress(host: "::1", port: 7002),
            ])
        #expect(config.username == "app")
        #expect(config.password == "s@cret")
        #expect(config.database == 0)
        #expect(config.host == "10.0.0.5", "host and port name the first seed")
        #expect(config.port == 7000)
        #expect(config.description == "redis+cluster://app:***@10.0.0.5:7000,10.0.0.6:6379,[::1]:7002")
        #expect(
            try RedisConfiguration(url: "REDIS+CLUSTER://h:1").clusterNodes == [RedisNodeAddress(host: "h", port: 1)])
    }

    @Test func aSingleServerURLCanBecomeAClusterSeed() throws {
        var config = try RedisConfiguration(url: "redis://:pw@10.0.0.5:7000")
        try config.useAsClusterSeed()
        #expect(config.isCluster)
        #expect(config.clusterNodes == [RedisNodeAddress(host: "10.0.0.5", port: 7000)])
        #expect(config.description == "redis+cluster://:***@10.0.0.5:7000")
        var onDatabase2 = try RedisConfiguration(url: "redis://h/2")
        #expect(throws: RedisURLError.databaseInCluster("2")) { try onDatabase2.useAsClusterSeed() }
        #expect(!onDatabase2.isCluster)
    }

    @Test func clusterErrorsNeverShowThePassword() {
        do {
            _ = try RedisConfiguration(url: "redis+cluster://:hunter2@a:1,b:2/3")
            Issue.record("expected an error")
        } catch {
            #expect(!error.description.contains("hunter2"))
            #expect(error.description.contains("only database 0"))
        }
    }
}
