import Testing

@testable import RESP

/// ``RedisClient`` against a real cluster of three masters (see ``TestRedisCluster``), shared by the suite's tests,
/// which run one at a time because some move slots or flush every master.
@Suite(
    .enabled(if: TestRedisCluster.isAvailable, "needs redis-server and redis-cli on PATH"), .sharedCluster, .serialized)
struct RedisClusterIntegrationTests {
    private var cluster: TestRedisCluster {
        get throws { try #require(TestRedisCluster.shared) }
    }

    @Test func keysSpreadOverEveryMasterRoundTrip() async throws {
        let cluster = try cluster
        let client = RedisClient(configuration: cluster.configuration)
        let keys = (0..<200).map { TestRedis.key("spread-\($0)") }
        try await withThrowingTaskGroup(of: Void.self) { group in
            for (index, key) in keys.enumerated() { group.addTask { try await client.set(key, to: "v\(index)") } }
            try await group.waitForAll()
        }
        #expect(try await client.pipeline(keys.map { ["GET", $0] }) == keys.indices.map { .bulk("v\($0)") })
        #expect(try await client.get(keys[7]) == "v7")

        // Every master holds its share, as its own DBSIZE shows.
        let map = try await cluster.slotMap()
        #expect(map.masters.count == 3)
        for master in map.masters {
            let share = keys.filter { map.master(ofSlot: RedisClusterSlot.slot(of: $0)) == master }.count
            #expect(share > 0)
            #expect(try await cluster.send(["DBSIZE"], to: master.port).int ?? 0 >= share)
        }
        #expect(try await client.pipeline(keys.map { ["DEL", $0] }) == keys.map { _ in .integer(1) })
        await client.shutdown()
    }

    @Test func hashTaggedKeysWorkInOneCommandAndOneScript() async throws {
        let client = RedisClient(configuration: try cluster.configuration)
        let tag = "{\(TestRedis.key("show"))}"
        let (seats, holds) = ("\(tag):seats", "\(tag):holds")
        #expect(RedisClusterSlot.slot(of: seats) == RedisClusterSlot.slot(of: holds))
        let script = RedisScript(
            "redis.call('SET', KEYS[1], ARGV[1]) redis.call('SET', KEYS[2], ARGV[1]) "
                + "return redis.call('MGET', KEYS[1], KEYS[2]) -- \(tag)")
        // The first call meets NOSCRIPT and falls back to EVAL; the second runs the cached script.
        #expect(try await client.evalSHA(script, keys: [seats, holds], arguments: ["A1"]) == .array(["A1", "A1"]))
        #expect(try await client.evalSHA(script, keys: [seats, holds], arguments: ["B2"]) == .array(["B2", "B2"]))
        #expect(try await client.mget([seats, holds]) == ["B2", "B2"])
        #expect(try await client.delete([seats, holds]) == 2)

        // SCRIPT LOAD reaches every master, so EVALSHA finds it wherever its keys are.
        let loaded = RedisScript("return 'loaded' -- \(tag)")
        try await client.load(loaded)
        for port in try await cluster.masterPorts() {
            #expect(try await cluster.send(["SCRIPT", "EXISTS", loaded.sha1], to: port) == .array([.integer(1)]))
        }
        await client.shutdown()
    }

    @Test func keysInDifferentSlotsFailBeforeAnythingIsSent() async throws {
        let client = RedisClient(configuration: try cluster.configuration)
        await #expect(throws: RedisClientError.crossSlot(command: "MGET")) { try await client.mget(["foo", "bar"]) }
        await #expect(throws: RedisClientError.crossSlot(command: "EVALSHA")) {
            try await client.evalSHA(RedisScript("return 1"), keys: ["foo", "bar"])
        }
        await #expect(throws: RedisClientError.crossSlot(command: "DEL")) {
            try await client.pipeline([["GET", "foo"], ["DEL", "foo", "bar"]])
        }
        #expect(await client.connectionCount == 0, "not even the slot map was asked for")
        await client.shutdown()
    }

    @Test func aPipelineOverSeveralNodesAnswersInOrder() async throws {
        let cluster = try cluster
        let client = RedisClient(configuration: cluster.configuration)
        let keys = (0..<30).map { TestRedis.key("pipeline-\($0)") }
        let map = try await cluster.slotMap()
        #expect(Set(keys.compactMap { map.master(ofSlot: RedisClusterSlot.slot(of: $0)) }).count > 1)

        let sets = try await client.pipeline(keys.enumerated().map { ["SET", $1, String($0)] })
        #expect(sets == keys.map { _ in .simpleString("OK") })
        let replies = try await client.pipeline(keys.flatMap { [["INCR", $0], ["GET", $0]] })
        #expect(replies == keys.indices.flatMap { [RESPValue.integer(Int64($0 + 1)), .bulk(String($0 + 1))] })
        // Error replies stay in place; keyless commands go to any master.
        let commands = [["GET", keys[0]], ["LPUSH", keys[1], "x"], ["PING"], ["GET", keys[2]]]
        let mixed = try await client.pipeline(commands)
        #expect(mixed[0] == .bulk("1"))
        #expect(mixed[1].errorMessage?.hasPrefix("WRONGTYPE") == true)
        #expect(mixed[2] == .simpleString("PONG"))
        #expect(mixed[3] == .bulk("3"))
        _ = try await client.pipeline(keys.map { ["DEL", $0] })
        await client.shutdown()
    }

    @Test func movedSlotsAreFollowedAndLearned() async throws {
        let cluster = try cluster
        let single = RedisClient(configuration: cluster.configuration)
        let pipelined = RedisClient(configuration: cluster.configuration)
        let (key, other) = (TestRedis.key("moved"), TestRedis.key("moved-pipelined"))
        try await single.set(key, to: "before")
        try await pipelined.set(other, to: "other")  // both clients know the map now
        let slot = RedisClusterSlot.slot(of: key)
        let source = try await cluster.port(servingKey: key)
        let target = try #require(try await cluster.masterPorts().first { $0 != source })
        try await cluster.moveSlot(slot, from: source, to: target)
        let otherSource = try await cluster.port(servingKey: other)
        let otherTarget = try #require(try await cluster.masterPorts().first { $0 != otherSource })
        try await cluster.moveSlot(RedisClusterSlot.slot(of: other), from: otherSource, to: otherTarget)

        let topology = try #require(single.clusterTopology)
        #expect(await topology.knownMaster(ofSlot: slot)?.port == source, "the client's map is stale")
        #expect(try await single.get(key) == "before")
        #expect(await topology.knownMaster(ofSlot: slot)?.port == target, "MOVED updated the map")
        try await single.set(key, to: "after")
        #expect(try await cluster.send(["GET", key], to: target) == .bulk("after"))

        // In a pipeline, the MOVED reply is replaced by the reply of the command sent again to the right node.
        let replies = try await pipelined.pipeline([["PING"], ["GET", other], ["GET", key]])
        #expect(replies == [.simpleString("PONG"), "other", "after"])
        #expect(try await single.delete([key]) == 1)
        #expect(try await pipelined.delete([other]) == 1)
        await single.shutdown()
        await pipelined.shutdown()
    }

    @Test func keysOfAMigratingSlotAreFollowedWithASK() async throws {
        let cluster = try cluster
        let client = RedisClient(configuration: cluster.configuration)
        let tag = "{\(TestRedis.key("ask"))}"
        let (moved, stayed, created) = ("\(tag).moved", "\(tag).stayed", "\(tag).created")
        try await client.set(moved, to: "m")
        try await client.set(stayed, to: "s")
        let slot = RedisClusterSlot.slot(of: tag)
        let source = try await cluster.port(servingKey: moved)
        let target = try #require(try await cluster.masterPorts().first { $0 != source })
        try await cluster.beginMigration(slot: slot, from: source, to: target)
        try await cluster.migrateKeys([moved], slot: slot, from: source, to: target)
        await #expect(throws: RESPError.self, "the source now answers ASK for it") {
            try await cluster.send(["GET", moved], to: source)
        }

        #expect(try await client.get(moved) == "m")
        #expect(try await client.get(stayed) == "s")
        try await client.set(created, to: "c")
        await #expect(throws: RESPError.self, "a new key of a migrating slot went to the target") {
            try await cluster.send(["GET", created], to: source)
        }
        let topology = try #require(client.clusterTopology)
        #expect(await topology.knownMaster(ofSlot: slot)?.port == source, "ASK leaves the map as it is")

        // Finish the migration, so that the cluster is whole for the other tests.
        try await cluster.migrateKeys(slot: slot, from: source, to: target)
        try await cluster.finishMigration(slot: slot, to: target)
        #expect(try await client.mget([moved, stayed, created]) == ["m", "s", "c"])
        #expect(try await client.delete([moved, stayed, created]) == 3)
        await client.shutdown()
    }

    @Test func aSubscriberHearsWhatIsPublishedOnAnotherMaster() async throws {
        let cluster = try cluster
        let client = RedisClient(configuration: cluster.configuration)
        let channel = TestRedis.key("live")
        let subscription = try await client.subscribe(to: [channel])
        var subscriberPort: Int?
        for port in cluster.ports
        where try await cluster.send(["PUBSUB", "NUMSUB", channel], to: port).array?.last == 1 {
            subscriberPort = port
        }
        let publisher = try #require(try await cluster.masterPorts().first { $0 != subscriberPort })
        _ = try await cluster.send(["PUBLISH", channel, "from another master"], to: publisher)
        try await client.publish("through the client", to: channel)

        // A message published on another master reaches this one over the cluster bus, so the two may arrive in either
        // order (a fresh-clone CI run saw "through the client" first); both must arrive.
        var iterator = subscription.makeAsyncIterator()
        var heard: Set<String> = []
        for _ in 0..<2 {
            if let message = try await iterator.next()?.message { heard.insert(message) }
        }
        #expect(heard == ["from another master", "through the client"])
        await subscription.close()
        await client.shutdown()
    }

    /// A subscriber of a cluster must hear one publisher's messages in the order they were sent (a seat map that hears
    /// "released" before "held" shows a sold seat as free). Each `PUBLISH` of a channel goes to the same master, the
    /// one of the channel's slot: spread over masters, they raced each other across the cluster bus.
    @Test func messagesPublishedThroughTheClientArriveInOrder() async throws {
        let cluster = try cluster
        let client = RedisClient(configuration: cluster.configuration)
        let channel = TestRedis.key("ordered")
        let subscription = try await client.subscribe(to: [channel])
        let sent = (0..<300).map { "message \($0)" }
        for message in sent { try await client.publish(message, to: channel) }

        var iterator = subscription.makeAsyncIterator()
        var heard: [String] = []
        while heard.count < sent.count, let message = try await iterator.next()?.message { heard.append(message) }
        let firstOutOfOrder = zip(heard, sent).first { $0 != $1 }
        #expect(heard.count == sent.count && firstOutOfOrder == nil, "heard \(String(describing: firstOutOfOrder))")
        await subscription.close()
        await client.shutdown()
    }

    @Test func flushAllAndFlushDBEmptyEveryMaster() async throws {
        let cluster = try cluster
        let client = RedisClient(configuration: cluster.configuration)
        for command in ["FLUSHALL", "FLUSHDB"] {
            _ = try await client.pipeline((0..<60).map { ["SET", TestRedis.key("flush-\($0)"), "x"] })
            #expect(try await client.send([command]) == .simpleString("OK"))
            for port in try await cluster.masterPorts() {
                #expect(try await cluster.send(["DBSIZE"], to: port) == .integer(0), "\(command) on \(port)")
            }
        }
        await client.shutdown()
    }

    @Test func aTransactionRunsOnTheConnectionOfItsKey() async throws {
        let client = RedisClient(configuration: try cluster.configuration)
        let key = TestRedis.key("transaction")
        let replies = try await client.withConnection(forKey: key) { connection in
            try await connection.pipeline([["WATCH", key], ["MULTI"], ["SET", key, "1"], ["INCR", key], ["EXEC"]])
        }
        #expect(replies.last == .array([.simpleString("OK"), .integer(2)]))
        await #expect(throws: RedisClientError.keyRequiredInCluster) { try await client.withConnection { _ in } }
        try await client.delete([key])
        await client.shutdown()
    }

    @Test func anyLiveSeedWillDo() async throws {
        let cluster = try cluster
        var configuration = cluster.configuration
        let down = RedisNodeAddress(host: "127.0.0.1", port: try await RedisServerProcess.unusedPort())
        configuration.clusterNodes = [down, RedisNodeAddress(host: "127.0.0.1", port: cluster.ports[1])]
        let client = RedisClient(configuration: configuration)
        #expect(try await client.ping() == "PONG")
        await client.shutdown()
    }

    @Test func aShutDownClientClosesEveryNodesPool() async throws {
        let client = RedisClient(configuration: try cluster.configuration)
        _ = try await client.pipeline((0..<20).map { ["GET", TestRedis.key("shutdown-\($0)")] })
        #expect(await client.connectionCount >= 2)
        await client.shutdown()
        #expect(await client.connectionCount == 0)
        await #expect(throws: RedisClientError.clientShutDown) { try await client.ping() }
        await #expect(throws: RedisClientError.clientShutDown) { try await client.get("key") }
        await #expect(throws: RedisClientError.clientShutDown) { try await client.subscribe(to: ["channel"]) }
    }
}
