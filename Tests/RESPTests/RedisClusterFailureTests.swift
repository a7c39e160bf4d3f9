import Testing

@testable import RESP

/// When cluster nodes fail: a master dies and its replica takes over, no node answers, the server is no cluster.
@Suite struct RedisClusterFailureTests {
    /// The client finds the new master by itself. A cluster of its own (three masters, three replicas), since it
    /// loses a node.
    @Test(.enabled(if: TestRedisCluster.isAvailable, "needs redis-server and redis-cli on PATH"))
    func commandsWorkAgainAfterAMasterDiesAndItsReplicaTakesOver() async throws {
        try await TestRedisCluster.withCluster(masters: 3, replicasPerMaster: 1) { cluster in
            var configuration = cluster.configuration
            // More than `WAIT`'s own 1 s below, with room for a loaded CI machine (1 s failed there).
            configuration.commandTimeout = .seconds(5)
            let client = RedisClient(configuration: configuration)
            let channel = TestRedis.key("failover")
            let subscription = try await client.subscribe(to: [channel])
            // Kill the master the subscriber is on, so that one kill tests commands and subscriptions alike.
            var victim: Int?
            for port in cluster.ports
            where try await cluster.send(["PUBSUB", "NUMSUB", channel], to: port).array?.last == 1 {
                victim = port
            }
            let map = try await cluster.slotMap()
            let dead = try #require(victim)
            try #require(map.masters.contains { $0.port == dead })

            // Only writes that reached a replica survive a failover: wait for each.
            let keys = (0..<60).map { TestRedis.key("failover-\($0)") }
            for key in keys {
                let acknowledged = try await client.withConnection(forKey: key) { connection in
                    _ = try await connection.send(["SET", key, "kept"])
                    return try await connection.send(["WAIT", "1", "1000"])
                }
                #expect(acknowledged == .integer(1), "replicated")
            }
            let orphaned = keys.filter { map.master(ofSlot: RedisClusterSlot.slot(of: $0))?.port == dead }
            let key = try #require(orphaned.first)

            await cluster.kill(port: dead)
            let killed = ContinuousClock.now
            await #expect(throws: RedisClientError.connectionClosed, "the subscriber learns its node is gone") {
                for try await _ in subscription {}
            }

            // Commands for the dead master's slots fail until its replica is promoted, then work again.
            var recovery: Duration?
            while recovery == nil, ContinuousClock.now - killed < .seconds(30) {
                if let value = try? await client.get(key) {
                    #expect(value == "kept")
                    recovery = ContinuousClock.now - killed
                } else {
                    try await Task.sleep(for: .milliseconds(100))
                }
            }
            let outage = try #require(recovery, "commands for the failed master's slots never worked again")
            #expect(outage < .seconds(15), "the replica took over within a few seconds")
            #expect(try await cluster.masterPorts(skipping: [dead]).contains(dead) == false)
            for key in keys { #expect(try await client.get(key) == "kept") }
            try await client.set(key, to: "written after the failover")
            #expect(try await client.get(key) == "written after the failover")

            // Subscribing again finds a live node.
            let again = try await client.subscribe(to: [channel])
            try await client.publish("back", to: channel)
            var iterator = again.makeAsyncIterator()
            #expect(try await iterator.next()?.message == "back")
            await again.close()
            await client.shutdown()
        }
    }

    /// Nothing was sent, so the client retries until the time budget is spent, then reports the connect error.
    @Test func aClusterWithNoLiveSeedFailsWithTheConnectErrorWithinTheBudget() async throws {
        let refusing = try RefusingPort()
        let port = refusing.port
        // A refusal comes back at once; the long connect timeout only keeps a loaded machine from timing out first.
        var configuration = RedisConfiguration(
            host: "127.0.0.1", port: port, connectTimeout: .seconds(2), commandTimeout: .milliseconds(300))
        try configuration.useAsClusterSeed()
        let client = RedisClient(configuration: configuration)
        let started = ContinuousClock.now
        await #expect(
            throws: RedisClientError.connectionFailed(host: "127.0.0.1", port: port, reason: "Connection refused")
        ) {
            try await client.ping()
        }
        // The budget is 300 ms; the bound only says the client gives up rather than retrying for ever (the whole suite
        // on two starved cores once stretched it to 20 s, and once to 72 s).
        #expect(ContinuousClock.now - started < .seconds(240))
        await client.shutdown()
        withExtendedLifetime(refusing) {}
    }

    @Test(.enabled(if: TestRedis.canStartServer, "needs redis-server on PATH"))
    func aServerThatIsNoClusterSaysSo() async throws {
        try await TestRedis.withServer { server in
            var configuration = server.configuration
            try configuration.useAsClusterSeed()
            let client = RedisClient(configuration: configuration)
            await #expect(throws: RESPError(message: "ERR This instance has cluster support disabled")) {
                try await client.ping()
            }
            await client.shutdown()
        }
    }
}
