import Foundation
import NIOCore
import NIOPosix

@testable import RESP

/// Where the integration tests find Redis: `TEST_REDIS_URL` (CI), else a `redis-server` of their own.
enum TestRedis {
    static let sharedURL: String? = ProcessInfo.processInfo.environment["TEST_REDIS_URL"].flatMap {
        $0.isEmpty ? nil : $0
    }

    static let serverBinary: String? = {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/local/bin:/usr/bin:/bin"
        return path.split(separator: ":").map { "\($0)/redis-server" }.first {
            FileManager.default.isExecutableFile(atPath: $0)
        }
    }()

    /// Whether any Redis can be used; says so once, visibly, when not.
    static let isAvailable: Bool = {
        guard sharedURL == nil, serverBinary == nil else { return true }
        print(
            "⚠︎ redis-server not available: skipping the Redis integration tests (set TEST_REDIS_URL or install redis-server)"
        )
        return false
    }()

    /// Whether tests that need a server of their own (restart, passwords) can run.
    static let canStartServer: Bool = {
        guard serverBinary == nil else { return true }
        print("⚠︎ redis-server not available: skipping the tests that start their own Redis (restart, AUTH)")
        return false
    }()

    /// Runs `body` against the shared Redis, or against a fresh server that is stopped afterwards.
    /// Timeouts are generous so that a busy CI machine does not fail a test that is not about timing;
    /// tests about timeouts set their own.
    static func withRedis<T>(_ body: (RedisConfiguration) async throws -> T) async throws -> T {
        if let sharedURL {
            var configuration = try RedisConfiguration(url: sharedURL)
            configuration.connectTimeout = .seconds(2)
            configuration.commandTimeout = .seconds(2)
            return try await body(configuration)
        }
        return try await withServer { server in try await body(server.configuration) }
    }

    /// Runs `body` with a redis-server of its own, stopped afterwards even when `body` throws.
    static func withServer<T>(
        arguments: [String] = [], _ body: (RedisServerProcess) async throws -> T
    ) async throws -> T {
        let server = try await RedisServerProcess.start(arguments: arguments)
        do {
            let result = try await body(server)
            await server.stop()
            return result
        } catch {
            await server.stop()
            throw error
        }
    }

    /// A key no other test (or test run on the shared server) uses.
    static func key(_ name: String) -> String {
        "resp-test:\(name):\(UUID().uuidString)"
    }
}

/// A throwaway `redis-server` on a free loopback port, without persistence, in a temporary directory.
/// An actor, so that a cluster of them can be shared by the tests of a suite.
actor RedisServerProcess {
    let port: Int
    let directory: URL
    private let arguments: [String]
    private var process: Process?

    nonisolated var configuration: RedisConfiguration {
        RedisConfiguration(
            host: "127.0.0.1", port: port, connectTimeout: .seconds(2), commandTimeout: .seconds(2))
    }

    private init(port: Int, directory: URL, arguments: [String]) {
        self.port = port
        self.directory = directory
        self.arguments = arguments
    }

    /// Starts a server with `arguments` on a port from `choosePort` (by default any free one).
    static func start(
        arguments: [String] = [], choosePort: () async throws -> Int = unusedPort
    ) async throws -> RedisServerProcess {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("resp-test-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        // The port is free when probed but could be taken before redis binds it: try a few.
        var lastError: any Error = TestServerError.didNotStart
        for _ in 0..<3 {
            let server = RedisServerProcess(port: try await choosePort(), directory: directory, arguments: arguments)
            do {
                try await server.launch()
                return server
            } catch {
                lastError = error
                await server.stop(removeDirectory: false)
            }
        }
        try? FileManager.default.removeItem(at: directory)
        throw lastError
    }

    /// Kills the server abruptly, as a crash would.
    func kill() async {
        guard let process, process.isRunning else { return }
        Foundation.kill(process.processIdentifier, SIGKILL)
        await waitForExit(process)
    }

    /// Starts the server again on the same port (after ``kill()``).
    func restart() async throws {
        try await launch()
    }

    /// Stops the server with SIGKILL: it keeps nothing worth saving, and the child inherits the test runner's
    /// signal mask, in which SIGTERM is blocked, so `terminate()` would not stop it.
    func stop(removeDirectory: Bool = true) async {
        await kill()
        if removeDirectory { try? FileManager.default.removeItem(at: directory) }
    }

    private func launch() async throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: TestRedis.serverBinary ?? "redis-server")
        process.arguments =
            [
                "--port", String(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
                "--dir", directory.path, "--logfile", directory.appendingPathComponent("redis.log").path,
            ] + arguments
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        self.process = process
        // Ready when it answers PING (a server with requirepass answers NOAUTH, which also proves it is up).
        for _ in 0..<250 {
            guard process.isRunning else { throw TestServerError.exited(log: log) }
            if let connection = try? await RedisConnection.connect(configuration: probeConfiguration) {
                let answered: Bool
                do {
                    _ = try await connection.ping()
                    answered = true
                } catch is RESPError {
                    answered = true
                } catch {
                    answered = false
                }
                await connection.close()
                if answered { return }
            }
            try await Task.sleep(for: .milliseconds(20))
        }
        throw TestServerError.didNotStart
    }

    private var probeConfiguration: RedisConfiguration {
        RedisConfiguration(
            host: "127.0.0.1", port: port, connectTimeout: .milliseconds(200), commandTimeout: .seconds(1))
    }

    private var log: String {
        (try? String(contentsOf: directory.appendingPathComponent("redis.log"), encoding: .utf8)) ?? ""
    }

    private func waitForExit(_ process: Process) async {
        for _ in 0..<500 where process.isRunning {
            try? await Task.sleep(for: .milliseconds(5))
        }
    }

    static func unusedPort() async throws -> Int {
        let channel = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .bind(host: "127.0.0.1", port: 0).get()
        let port = channel.localAddress?.port ?? 0
        try await channel.close()
        return port
    }
}

enum TestServerError: Error, CustomStringConvertible {
    case didNotStart
    case exited(log: String)

    var description: String {
        switch self {
        case .didNotStart: "redis-server did not answer PING within 5 s"
        case .exited(let log): "redis-server exited:\n\(log)"
        }
    }
}
