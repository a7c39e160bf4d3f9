import Testing

@testable import RESP

/// Timeouts, lost servers and credentials: what the pool does when things go wrong.
@Suite struct RedisResilienceTests {
    @Test(.enabled(if: TestRedis.isAvailable, "needs TEST_REDIS_URL or redis-server on PATH"))
    func aCommandTimeoutClosesTheConnectionAndThePoolRecovers() async throws {
        try await TestRedis.withRedis { configuration in
            var configuration = configuration
            // A timeout long enough that the PING below answers in time on a machine loaded by the whole suite.
            configuration.commandTimeout = .seconds(1)
            configuration.maximumConnections = 1
            let client = RedisClient(configuration: configuration)
            // BLPOP blocks only its own connection, so this is safe on a shared server.
            await #expect(throws: RedisClientError.commandTimeout(after: .seconds(1))) {
                try await client.send(["BLPOP", TestRedis.key("never"), "5"])
            }
            #expect(await client.connectionCount == 0, "the timed-out connection is dropped")
            let pong = try await client.ping()
            #expect(pong == "PONG")
            #expect(await client.connectionCount == 1)
            await client.shutdown()
        }
    }

    @Test(.enabled(if: TestRedis.isAvailable, "needs TEST_REDIS_URL or redis-server on PATH"))
    func aTimedOutConnectionRefusesFurtherCommands() async throws {
        try await TestRedis.withRedis { configuration in
            var configuration = configuration
            configuration.commandTimeout = .milliseconds(100)
            let connection = try await RedisConnection.connect(configuration: configuration)
            await #expect(throws: RedisClientError.self) {
                try await connection.send(["BLPOP", TestRedis.key("never"), "2"])
            }
            #expect(connection.isClosed)
            await #expect(throws: RedisClientError.self) { try await connection.ping() }
        }
    }

    @Test(.enabled(if: TestRedis.canStartServer, "needs redis-server on PATH"))
    func theClientReconnectsAfterTheServerRestarts() async throws {
        try await TestRedis.withServer { server in
            let client = RedisClient(configuration: server.configuration)
            let key = TestRedis.key("restart")
            try await client.set(key, to: "before")
            let subscription = try await client.subscribe(to: [TestRedis.key("channel")])

            await server.kill()
            // While Redis is down, commands fail fast with a connection error instead of hanging.
            await #expect(throws: RedisClientError.self) { try await client.ping() }
            // A subscriber learns that its connection is gone.
            await #expect(throws: RedisClientError.connectionClosed) {
                for try await _ in subscription {}
            }

            try await server.restart()
            #expect(try await client.ping() == "PONG")
            #expect(try await client.get(key) == nil, "no persistence: the restarted server is empty")
            try await client.set(key, to: "after")
            #expect(try await client.get(key) == "after")
            await client.shutdown()
        }
    }

    @Test(.enabled(if: TestRedis.canStartServer, "needs redis-server on PATH"))
    func authAndSelectComeFromTheURL() async throws {
        try await TestRedis.withServer(arguments: ["--requirepass", "s3cret"]) { server in
            let key = TestRedis.key("db")
            // Patient connects and commands: a loaded CI machine may take longer than the defaults (250 ms to
            // accept, 500 ms to answer).
            func patient(_ url: String) throws -> RedisConfiguration {
                var configuration = try RedisConfiguration(url: url)
                configuration.connectTimeout = .seconds(2)
                configuration.commandTimeout = .seconds(2)
                return configuration
            }
            let onDatabase5 = RedisClient(configuration: try patient("redis://:s3cret@127.0.0.1:\(server.port)/5"))
            try await onDatabase5.set(key, to: "five")
            let onDatabase0 = RedisClient(configuration: try patient("redis://:s3cret@127.0.0.1:\(server.port)"))
            #expect(try await onDatabase0.get(key) == nil)
            #expect(try await onDatabase5.get(key) == "five")

            let wrongPassword = try patient("redis://:nope@127.0.0.1:\(server.port)")
            do {
                _ = try await RedisConnection.connect(configuration: wrongPassword)
                Issue.record("expected WRONGPASS")
            } catch let error as RESPError {
                #expect(error.code == "WRONGPASS")
            }
            let noPassword = RedisClient(configuration: try patient("redis://127.0.0.1:\(server.port)"))
            await #expect(throws: RESPError(message: "NOAUTH Authentication required.")) { try await noPassword.ping() }

            for client in [onDatabase5, onDatabase0, noPassword] { await client.shutdown() }
        }
    }

    @Test func aClosedPortFailsQuicklyWithAClearError() async throws {
        let port = try await RedisServerProcess.unusedPort()
        // A refusal comes back at once; the connect timeout is only long enough that a loaded machine (the whole suite
        // running) cannot turn the refusal into a timeout before the kernel's answer is read.
        var configuration = RedisConfiguration(host: "127.0.0.1", port: port)
        configuration.connectTimeout = .seconds(5)
        let client = RedisClient(configuration: configuration)
        do {
            _ = try await client.ping()
            Issue.record("expected a connection error")
        } catch let error as RedisClientError {
            #expect(error == .connectionFailed(host: "127.0.0.1", port: port, reason: "Connection refused"))
            #expect(error.description == "could not connect to Redis at 127.0.0.1:\(port): Connection refused")
        }
        await client.shutdown()
    }

    /// Callers queued behind a failing connect each get the error; none waits for ever.
    @Test func everyQueuedCallerFailsWhenRedisIsDown() async throws {
        let port = try await RedisServerProcess.unusedPort()
        let client = RedisClient(
            configuration: RedisConfiguration(host: "127.0.0.1", port: port, maximumConnections: 1))
        let failures = await withTaskGroup(of: Bool.self) { group in
            for _ in 0..<10 {
                group.addTask {
                    do {
                        _ = try await client.ping()
                        return false
                    } catch {
                        return error is RedisClientError
                    }
                }
            }
            return await group.reduce(0) { $0 + ($1 ? 1 : 0) }
        }
        #expect(failures == 10)
        #expect(await client.connectionCount == 0)
        await client.shutdown()
    }

    @Test func anUnknownHostNamesTheLookupFailure() async throws {
        let configuration = RedisConfiguration(host: "no-such-host.invalid", port: 6379, connectTimeout: .seconds(2))
        do {
            _ = try await RedisConnection.connect(configuration: configuration)
            Issue.record("expected a connection error")
        } catch let error as RedisClientError {
            switch error {
            case .connectionFailed(_, _, let reason): #expect(reason.hasPrefix("cannot resolve the host"))
            case .connectTimeout: break  // a machine without a reachable DNS server may not answer in time
            default: Issue.record("unexpected \(error)")
            }
        }
    }

    /// Against a port whose accept queue is full the SYN goes unanswered, as with a host that is down: only the
    /// connect timeout ends the attempt.
    @Test func anUnansweredConnectFailsAtTheConnectTimeout() async throws {
        let blackHole = try BlackHoleListener()
        let configuration = RedisConfiguration(
            host: "127.0.0.1", port: blackHole.port, connectTimeout: .milliseconds(200))
        // The queue's single place is taken by the first connect that completes; keep those open meanwhile.
        var fillers: [RedisConnection] = []
        var timedOut: RedisClientError?
        for _ in 0..<4 where timedOut == nil {
            do {
                fillers.append(try await RedisConnection.connect(configuration: configuration))
            } catch let error as RedisClientError {
                timedOut = error
            }
        }
        #expect(timedOut == .connectTimeout(host: "127.0.0.1", port: blackHole.port, after: .milliseconds(200)))
        #expect(timedOut?.description.contains("within") == true)

        // The pool reports the same error (its connect timed out rather than hanging); timing is for benchmarks, not tests.
        let client = RedisClient(configuration: configuration)
        await #expect(
            throws: RedisClientError.connectTimeout(host: "127.0.0.1", port: blackHole.port, after: .milliseconds(200))
        ) {
            try await client.ping()
        }
        await client.shutdown()
        for connection in fillers { await connection.close() }
    }
}
