import Foundation
import NIOCore
import RESP
import Testing
import VaporTesting

@testable import BoxOffice

/// At most `WS_MAX_PER_USER` sockets per user and `WS_MAX_PER_ADDRESS` per client address; one more upgrade is a 429
/// problem with `Retry-After`, counted in `/metrics`. With Redis the counts are shared by every instance.
@Suite("Live WebSocket quota")
struct LiveSocketQuotaTests {
    static let metricsToken = "metrics-token-for-tests-0123456789"
    static let upgrade: HTTPHeaders = [
        "Connection": "Upgrade", "Upgrade": "websocket", "Sec-WebSocket-Version": "13",
        "Sec-WebSocket-Key": "dGhlIHNhbXBsZSBub25jZQ==",
    ]

    enum Store: String, CaseIterable, Sendable {
        case inProcess, redis
        static var available: [Store] { RedisTestServer.url == nil ? [.inProcess] : [.inProcess, .redis] }

        func apply(_ config: inout AppConfig, prefix: String) {
            guard self == .redis, let url = RedisTestServer.url else { return }
            config.redisURL = RedisURL(url)
            config.redisKeyPrefix = prefix
        }
    }

    /// The attack was 300 sockets with one token: the sixth is refused, with problem details and `Retry-After`, and
    /// counted; closing one makes room again.
    @Test(arguments: Store.available)
    func theSixthSocketOfOneUserIsRefusedWith429(store: Store) async throws {
        let prefix = "bxtest:\(UUID().uuidString):"
        try await withTestApp(configure: {
            store.apply(&$0, prefix: prefix)
            $0.metricsToken = Self.metricsToken
        }) { t in
            let asha = try await t.customer()
            try await t.listening { port in
                var open: [TestSocket] = []
                for _ in 0..<5 {
                    open.append(
                        try await TestSocket.connect(port: port, token: asha.accessToken, on: t.app.eventLoopGroup))
                }
                await #expect(throws: TestSocket.Failure.refused(.tooManyRequests)) {
                    _ = try await TestSocket.connect(port: port, token: asha.accessToken, on: t.app.eventLoopGroup)
                }
                let refused = try await t.request(.GET, "/ws?token=\(asha.accessToken)", headers: Self.upgrade)
                #expect(refused.status == .tooManyRequests)
                #expect(refused.problem?.code == "too_many_sockets")
                #expect(refused.headers.first(name: .retryAfter).flatMap(Int.init) ?? 0 >= 1)
                let metrics = try await t.request(.GET, "/metrics", token: Self.metricsToken).body.string
                #expect(metrics.contains(#"ws_rejected_total{reason="per_user"} 2"#), "\(metrics)")
                // Another user is not affected.
                let ravi = try await t.customer()
                let other = try await TestSocket.connect(port: port, token: ravi.accessToken, on: t.app.eventLoopGroup)
                await open.removeFirst().close()
                var again: TestSocket?
                for _ in 0..<50 where again == nil {
                    again = try? await TestSocket.connect(port: port, token: asha.accessToken, on: t.app.eventLoopGroup)
                    if again == nil { try await Task.sleep(for: .milliseconds(50)) }
                }
                #expect(again != nil, "closing a socket did not give its place back")
                for socket in open + [other] + (again.map { [$0] } ?? []) { await socket.close() }
            }
        }
    }

    /// Sockets are counted by client address, the one rate limits use: behind a trusted proxy, its
    /// `X-Forwarded-For` address.
    @Test(arguments: Store.available)
    func socketsPastThePerAddressLimitAreRefused(store: Store) async throws {
        let prefix = "bxtest:\(UUID().uuidString):"
        try await withTestApp(configure: {
            store.apply(&$0, prefix: prefix)
            $0.wsMaxPerAddress = 3
            $0.metricsToken = Self.metricsToken
            $0.trustedProxies = [IPNetwork("127.0.0.1/32")!]
        }) { t in
            var users: [TestApp.Account] = []
            for _ in 0..<4 { users.append(try await t.customer()) }
            try await t.listening { port in
                let group = t.app.eventLoopGroup
                let from: HTTPHeaders = ["X-Forwarded-For": "203.0.113.7"]
                var open: [TestSocket] = []
                for user in users.prefix(3) {
                    open.append(
                        try await TestSocket.connect(port: port, token: user.accessToken, headers: from, on: group))
                }
                await #expect(throws: TestSocket.Failure.refused(.tooManyRequests)) {
                    _ = try await TestSocket.connect(port: port, token: users[3].accessToken, headers: from, on: group)
                }
                let elsewhere = try await TestSocket.connect(
                    port: port, token: users[3].accessToken, headers: ["X-Forwarded-For": "203.0.113.8"], on: group)
                let metrics = try await t.request(.GET, "/metrics", token: Self.metricsToken).body.string
                #expect(metrics.contains(#"ws_rejected_total{reason="per_address"} 1"#), "\(metrics)")
                for socket in open + [elsewhere] { await socket.close() }
            }
        }
    }
}

/// The quota through Redis: shared by instances, and forgetting the sockets of an instance that stopped renewing.
@Suite("Live WebSocket quota through Redis")
struct RedisSocketQuotaTests {
    /// Three sockets on instance A and two on B: the user's sixth is refused on either.
    @Test(.enabled(if: RedisTestServer.url != nil, "needs TEST_REDIS_URL"))
    func instancesShareTheCount() async throws {
        try await withTwoInstances { a, b in
            let asha = try await a.customer()
            try await a.listening { portA in
                try await b.listening { portB in
                    let group = a.app.eventLoopGroup
                    var open: [TestSocket] = []
                    for port in [portA, portA, portA, portB, portB] {
                        open.append(
                            try await TestSocket.connect(port: port, token: asha.accessToken, on: group))
                    }
                    for port in [portA, portB] {
                        await #expect(throws: TestSocket.Failure.refused(.tooManyRequests)) {
                            _ = try await TestSocket.connect(port: port, token: asha.accessToken, on: group)
                        }
                    }
                    for socket in open { await socket.close() }
                }
            }
        }
    }

    /// Leases an instance stops renewing (it crashed) lapse after their TTL; renewing moves a lease's expiry on;
    /// released leases stop counting. Judged by the expiries Redis holds, not by sleeping against them: a loaded CI
    /// machine delays Redis calls by seconds.
    @Test(.enabled(if: RedisTestServer.url != nil, "needs TEST_REDIS_URL"))
    func leasesLapseUnlessRenewed() async throws {
        let redis = RedisClient(configuration: try RedisTestServer.configuration())
        let prefix = "bxtest:\(UUID().uuidString):"
        let survivor = RedisSocketQuota(
            redis: redis, prefix: prefix, perUser: 5, perAddress: 50, ttl: .seconds(600), logger: Logger(label: "test"))
        func crashedLeases(_ user: UUID, ttlMilliseconds: Int) async throws {
            for index in 0..<5 {
                let reply = try await redis.evalSHA(
                    RedisSocketQuota.admit,
                    keys: [
                        RedisSocketQuota.userKey(prefix: prefix, user: user),
                        RedisSocketQuota.addressKey(prefix: prefix, address: "crashed"),
                    ],
                    arguments: ["5", "50", "lease-\(index)", String(ttlMilliseconds)])
                #expect(reply.int == 0)
            }
        }
        // Another instance's five live leases count here.
        let busy = UUID()
        // Ten minutes, as the survivor's: a starved CI machine has taken a minute between these lines.
        try await crashedLeases(busy, ttlMilliseconds: 600_000)
        guard case .refused(.perUser) = await survivor.admit(user: busy, address: "192.0.2.1") else {
            Issue.record("the sixth lease was admitted")
            return
        }
        // A crashed instance's leases whose TTL has passed (1 ms) count no more.
        let user = UUID()
        try await crashedLeases(user, ttlMilliseconds: 1)
        try await Task.sleep(for: .milliseconds(20))
        var kept: [SocketLease] = []
        for _ in 0..<5 {
            guard case .admitted(let lease) = await survivor.admit(user: user, address: "192.0.2.1") else {
                Issue.record("the crashed instance's leases did not lapse")
                return
            }
            kept.append(lease)
        }
        // Renewing moves every lease's expiry on.
        let key = RedisSocketQuota.userKey(prefix: prefix, user: user)
        func expiries() async throws -> [Double] {
            let reply = try await redis.send(RESPCommand(["ZRANGE", key, "0", "-1", "WITHSCORES"]))
            let items = reply.array ?? []
            return stride(from: 1, to: items.count, by: 2).compactMap { items[$0].string.flatMap(Double.init) }
        }
        let before = try await expiries()
        #expect(before.count == 5)
        try await Task.sleep(for: .milliseconds(50))
        await survivor.renew()
        let after = try await expiries()
        #expect(after.count == 5 && zip(before.sorted(), after.sorted()).allSatisfy { $1 > $0 })
        guard case .refused(.perUser) = await survivor.admit(user: user, address: "192.0.2.1") else {
            Issue.record("renewed leases lapsed")
            return
        }
        await survivor.shutdown()
        guard case .admitted = await survivor.admit(user: user, address: "192.0.2.1") else {
            Issue.record("released leases still count")
            return
        }
        await survivor.shutdown()
        await redis.shutdown()
    }
}

@Suite("Live WebSocket quota configuration")
struct LiveSocketQuotaConfigTests {
    @Test func theLimitsAreReadAndCheckedFromTheEnvironment() throws {
        let defaults = try AppConfig.load(from: [:], environment: .development)
        #expect(defaults.wsMaxPerUser == 5 && defaults.wsMaxPerAddress == 50)
        let set = try AppConfig.load(
            from: ["WS_MAX_PER_USER": "2", "WS_MAX_PER_ADDRESS": "20"], environment: .development)
        #expect(set.wsMaxPerUser == 2 && set.wsMaxPerAddress == 20)
        for bad in [["WS_MAX_PER_USER": "0"], ["WS_MAX_PER_ADDRESS": "many"], ["WS_MAX_PER_ADDRESS": "3"]] {
            #expect {
                try AppConfig.load(from: bad, environment: .development)
            } throws: { error in
                let text = (error as? ConfigError)?.description ?? ""
                return text.contains(bad.keys.first!)
            }
        }
    }
}
