import Testing

@testable import RESP

/// Commands against a real Redis (see ``TestRedis``). Keys are unique per test, so the suites can share a server.
@Suite(.enabled(if: TestRedis.isAvailable, "needs TEST_REDIS_URL or redis-server on PATH"))
struct RedisCommandsIntegrationTests {
    @Test func setWithPXExpiresTheKey() async throws {
        try await TestRedis.withRedis { configuration in
            let client = RedisClient(configuration: configuration)
            let key = TestRedis.key("px")
            // One pipeline: Redis runs the three back to back, so a busy test machine cannot let the key expire
            // before it is read.
            let replies = try await client.pipeline([["SET", key, "held", "PX", "200"], ["GET", key], ["PTTL", key]])
            #expect(replies[0] == .simpleString("OK"))
            #expect(replies[1] == .bulk("held"))
            #expect((1...200).contains(replies[2].int ?? 0))
            // Poll instead of sleeping a fixed time: Redis expires on its own clock.
            let deadline = ContinuousClock.now + .seconds(3)
            while try await client.get(key) != nil, ContinuousClock.now < deadline {
                try await Task.sleep(for: .milliseconds(25))
            }
            #expect(try await client.get(key) == nil)
            #expect(try await client.pttl(key) == .noSuchKey)
            await client.shutdown()
        }
    }

    @Test func typedSetSendsPX() async throws {
        try await TestRedis.withRedis { configuration in
            let client = RedisClient(configuration: configuration)
            let key = TestRedis.key("typed-px")
            // Long: a starved CI machine has let a 10-second key lapse between these lines.
            #expect(try await client.set(key, to: "held", expiresIn: .milliseconds(599_999.5)))
            guard case .milliseconds(let left) = try await client.pttl(key) else {
                Issue.record("expected a TTL")
                return
            }
            #expect((1...600_000).contains(left), "PX rounds up to whole milliseconds")
            #expect(try await client.get(key) == "held")
            try await client.delete([key])
            await client.shutdown()
        }
    }

    @Test func setNXRefusesAnExistingKey() async throws {
        try await TestRedis.withRedis { configuration in
            let client = RedisClient(configuration: configuration)
            let key = TestRedis.key("nx")
            #expect(try await client.set(key, to: "first", expiresIn: .seconds(600), onlyIfAbsent: true))
            #expect(try await client.set(key, to: "second", expiresIn: .seconds(600), onlyIfAbsent: true) == false)
            #expect(try await client.get(key) == "first")
            try await client.delete([key])
            await client.shutdown()
        }
    }

    @Test func typedHelpers() async throws {
        try await TestRedis.withRedis { configuration in
            let client = RedisClient(configuration: configuration)
            let (a, b, missing) = (TestRedis.key("a"), TestRedis.key("b"), TestRedis.key("missing"))
            #expect(try await client.ping() == "PONG")
            #expect(try await client.incr(a) == 1)
            #expect(try await client.incr(a) == 2)
            try await client.set(b, to: "bee")
            #expect(try await client.mget([a, missing, b]) == ["2", nil, "bee"])
            #expect(try await client.exists([a, b, missing]) == 2)
            #expect(try await client.pttl(b) == .noExpiry)
            #expect(try await client.pexpire(b, after: .seconds(600)))  // long: a starved CI run must not see it lapse
            #expect(try await client.pexpire(missing, after: .seconds(30)) == false)
            #expect(try await client.delete([a, b, missing]) == 2)
            #expect(try await client.exists([a, b]) == 0)
            await client.shutdown()
        }
    }

    @Test func aServerErrorIsThrownAndTheConnectionStaysUsable() async throws {
        try await TestRedis.withRedis { configuration in
            let client = RedisClient(configuration: configuration)
            let key = TestRedis.key("wrongtype")
            try await client.set(key, to: "text")
            await #expect(throws: RESPError.self) { try await client.incr(key) }
            do {
                _ = try await client.send(["NOSUCHCOMMAND"])
                Issue.record("expected an error reply")
            } catch let error as RESPError {
                #expect(error.code == "ERR")
            }
            #expect(try await client.ping() == "PONG")
            #expect(await client.connectionCount == 1)
            try await client.delete([key])
            await client.shutdown()
        }
    }

    @Test func evalSHARecoversFromNOSCRIPT() async throws {
        try await TestRedis.withRedis { configuration in
            let client = RedisClient(configuration: configuration)
            let key = TestRedis.key("script")
            let script = RedisScript("return redis.call('INCRBY', KEYS[1], ARGV[1])")
            try await client.load(script)  // checks that Redis names the script by our SHA-1
            #expect(try await client.evalSHA(script, keys: [key], arguments: ["5"]) == .integer(5))
            // Forget every script, as a restart would.
            _ = try await client.send(["SCRIPT", "FLUSH"])
            #expect(try await client.send(["SCRIPT", "EXISTS", script.sha1]) == .array([.integer(0)]))
            #expect(try await client.evalSHA(script, keys: [key], arguments: ["2"]) == .integer(7))
            try await client.delete([key])
            await client.shutdown()
        }
    }

    /// Another client flushing scripts at any moment (e.g. a deploy running SCRIPT FLUSH) never fails a call.
    @Test func evalSHASurvivesConcurrentScriptFlushes() async throws {
        try await TestRedis.withRedis { configuration in
            let client = RedisClient(configuration: configuration)
            let key = TestRedis.key("flushes")
            let script = RedisScript("return redis.call('INCR', KEYS[1]) -- \(key)")
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask {
                    for _ in 0..<20 { _ = try await client.send(["SCRIPT", "FLUSH"]) }
                }
                for _ in 0..<100 { group.addTask { _ = try await client.evalSHA(script, keys: [key]) } }
                try await group.waitForAll()
            }
            #expect(try await client.get(key) == "100")
            try await client.delete([key])
            await client.shutdown()
        }
    }

    @Test func aScriptWithASyntaxErrorFailsToLoad() async throws {
        try await TestRedis.withRedis { configuration in
            let client = RedisClient(configuration: configuration)
            await #expect(throws: RESPError.self) { try await client.load(RedisScript("return (")) }
            await client.shutdown()
        }
    }

    @Test func scriptErrorsCarryTheirCode() async throws {
        try await TestRedis.withRedis { configuration in
            let client = RedisClient(configuration: configuration)
            let script = RedisScript("return redis.error_reply('SEATS_TAKEN ' .. ARGV[1])")
            do {
                _ = try await client.evalSHA(script, arguments: ["A1,A2"])
                Issue.record("expected an error")
            } catch let error as RESPError {
                #expect(error.code == "SEATS_TAKEN")
                #expect(error.message.hasPrefix("SEATS_TAKEN A1,A2"))
            }
            await client.shutdown()
        }
    }

    @Test func pipelinesAHundredCommands() async throws {
        try await TestRedis.withRedis { configuration in
            let client = RedisClient(configuration: configuration)
            let key = TestRedis.key("pipeline")
            let replies = try await client.pipeline(Array(repeating: ["INCR", key], count: 100))
            #expect(replies == (1...100).map { RESPValue.integer(Int64($0)) })
            let mixed = try await client.pipeline([["GET", key], ["LPUSH", key, "x"], ["DEL", key]])
            #expect(mixed[0] == .bulk("100"))
            #expect(mixed[1].errorMessage?.hasPrefix("WRONGTYPE") == true)
            #expect(mixed[2] == .integer(1))
            await client.shutdown()
        }
    }

    @Test func concurrentCommandsShareAFewConnections() async throws {
        try await TestRedis.withRedis { configuration in
            var configuration = configuration
            configuration.maximumConnections = 3
            let client = RedisClient(configuration: configuration)
            let key = TestRedis.key("concurrent")
            #expect(await client.connectionCount == 0, "connections open lazily")
            try await withThrowingTaskGroup(of: Void.self) { group in
                for _ in 0..<200 { group.addTask { try await client.incr(key) } }
                try await group.waitForAll()
            }
            #expect(try await client.get(key) == "200")
            #expect(await client.connectionCount <= 3)
            try await client.delete([key])
            await client.shutdown()
        }
    }

    @Test func aCallerWaitingForAConnectionCanBeCancelled() async throws {
        try await TestRedis.withRedis { configuration in
            var configuration = configuration
            configuration.maximumConnections = 1
            let client = RedisClient(configuration: configuration)
            let (release, releaser) = AsyncStream.makeStream(of: Void.self)
            let (leased, leaseSignal) = AsyncStream.makeStream(of: Void.self)
            // Hold the only connection until told to let go.
            let holder = Task {
                try await client.withConnection { _ in
                    leaseSignal.yield()
                    for await _ in release { break }
                }
            }
            for await _ in leased { break }
            let waiter = Task { try await client.ping() }
            waiter.cancel()
            await #expect(throws: CancellationError.self) { try await waiter.value }
            releaser.yield()
            try await holder.value
            #expect(try await client.ping() == "PONG", "the cancelled waiter left the pool usable")
            await client.shutdown()
        }
    }

    @Test func oneMebibyteValueRoundTrips() async throws {
        try await TestRedis.withRedis { configuration in
            let client = RedisClient(configuration: configuration)
            let key = TestRedis.key("big")
            let value = (0..<(1 << 20)).map { UInt8(truncatingIfNeeded: $0 &* 7) }
            _ = try await client.send(RESPCommand(bytes: [Array("SET".utf8), Array(key.utf8), value]))
            #expect(try await client.getBytes(key) == value)
            try await client.delete([key])
            await client.shutdown()
        }
    }

    @Test func aBlockingCommandGetsItsOwnTimeoutAndANullArray() async throws {
        try await TestRedis.withRedis { configuration in
            let client = RedisClient(configuration: configuration)
            let reply = try await client.send(["BLPOP", TestRedis.key("queue"), "0.05"], timeout: .seconds(3))
            #expect(reply == .array(nil))
            #expect(reply.isNull)
            await client.shutdown()
        }
    }

    @Test func aShutDownClientRefusesCommands() async throws {
        try await TestRedis.withRedis { configuration in
            let client = RedisClient(configuration: configuration)
            _ = try await client.ping()
            await client.shutdown()
            #expect(await client.connectionCount == 0)
            await #expect(throws: RedisClientError.clientShutDown) { try await client.ping() }
        }
    }
}
