import Foundation
import NIOCore
import NIOPosix
import Testing

@testable import RESP

/// A throwaway Redis Cluster on loopback: masters and, optionally, replicas, each a ``RedisServerProcess`` in a
/// temporary directory of its own, joined by `redis-cli --cluster create` and stopped (SIGKILL) afterwards.
///
/// `cluster-node-timeout` is 1 s, so a killed master's replica takes over within a few seconds.
final class TestRedisCluster: Sendable {
    static let cliBinary: String? = {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/local/bin:/usr/bin:/bin"
        return path.split(separator: ":").map { "\($0)/redis-cli" }.first {
            FileManager.default.isExecutableFile(atPath: $0)
        }
    }()

    /// Whether clusters can be started; says so once, visibly, when not.
    static let isAvailable: Bool = {
        guard TestRedis.serverBinary == nil || cliBinary == nil else { return true }
        print("⚠︎ redis-server or redis-cli not available: skipping the Redis Cluster tests")
        return false
    }()

    /// The cluster of the running suite, for suites marked ``Trait/sharedCluster``.
    @TaskLocal static var shared: TestRedisCluster?

    /// Every node, in the order given to `redis-cli`: it makes the first ones masters.
    let nodes: [RedisServerProcess]
    var ports: [Int] { nodes.map(\.port) }

    private init(nodes: [RedisServerProcess]) {
        self.nodes = nodes
    }

    /// Runs `body` with a cluster of its own, stopped afterwards even when `body` throws.
    static func withCluster<T>(
        masters: Int = 3, replicasPerMaster: Int = 0, _ body: (TestRedisCluster) async throws -> T
    ) async throws -> T {
        let cluster = try await start(masters: masters, replicasPerMaster: replicasPerMaster)
        do {
            let result = try await body(cluster)
            await cluster.stop()
            return result
        } catch {
            await cluster.stop()
            throw error
        }
    }

    /// A client configuration with the first node as the only seed (the client learns the others from it), and
    /// timeouts generous enough for a loaded machine.
    var configuration: RedisConfiguration {
        let seed = RedisNodeAddress(host: "127.0.0.1", port: ports[0])
        return RedisConfiguration(
            host: seed.host, port: seed.port, connectTimeout: .seconds(3), commandTimeout: .seconds(3),
            clusterNodes: [seed])
    }

    /// Sends one command straight to the node at `port`, on a connection of its own.
    func send(_ arguments: [String], to port: Int) async throws -> RESPValue {
        let connection = try await RedisConnection.connect(
            configuration: RedisConfiguration(
                host: "127.0.0.1", port: port, connectTimeout: .seconds(1), commandTimeout: .seconds(5)))
        do {
            let reply = try await connection.send(RESPCommand(arguments))
            await connection.close()
            return reply
        } catch {
            await connection.close()
            throw error
        }
    }

    /// The slot map as the first node that answers sees it (`skipping` a node known to be down).
    func slotMap(skipping down: Set<Int> = []) async throws -> RedisClusterSlotMap {
        var lastError: any Error = TestClusterError.noNodeAnswered
        for port in ports where !down.contains(port) {
            do {
                let reply = try await send(["CLUSTER", "SLOTS"], to: port)
                return try RedisClusterSlotMap(
                    slotsReply: reply, askedNode: RedisNodeAddress(host: "127.0.0.1", port: port))
            } catch {
                lastError = error
            }
        }
        throw lastError
    }

    /// The ports of the masters that serve slots.
    func masterPorts(skipping down: Set<Int> = []) async throws -> [Int] {
        try await slotMap(skipping: down).masters.map(\.port)
    }

    /// The port of the master that serves `key`.
    func port(servingKey key: String) async throws -> Int {
        let slot = RedisClusterSlot.slot(of: key)
        guard let master = try await slotMap().master(ofSlot: slot) else { throw TestClusterError.slotNotServed(slot) }
        return master.port
    }

    func nodeID(_ port: Int) async throws -> String {
        let reply = try await send(["CLUSTER", "MYID"], to: port)
        guard let id = reply.string else { throw TestClusterError.unexpected(reply) }
        return id
    }

    /// Kills the node at `port` abruptly, as a crash would.
    func kill(port: Int) async {
        for node in nodes where node.port == port { await node.kill() }
    }

    func stop() async {
        for node in nodes { await node.stop() }
    }

    private static func start(masters: Int, replicasPerMaster: Int) async throws -> TestRedisCluster {
        var nodes: [RedisServerProcess] = []
        do {
            for _ in 0..<(masters * (1 + replicasPerMaster)) {
                // A replica syncs at once rather than after the 5 s a master waits by default for more replicas.
                let arguments = [
                    "--cluster-enabled", "yes", "--cluster-config-file", "nodes.conf", "--cluster-node-timeout", "1000",
                    "--repl-diskless-sync-delay", "0", "--daemonize", "no",
                ]
                nodes.append(try await RedisServerProcess.start(arguments: arguments, choosePort: clusterPort))
            }
            let cluster = TestRedisCluster(nodes: nodes)
            try await cluster.create(replicasPerMaster: replicasPerMaster)
            try await cluster.waitUntilReady()
            return cluster
        } catch {
            for node in nodes { await node.stop() }
            throw error
        }
    }

    /// `redis-cli --cluster create`: assigns the slots evenly to the first nodes and makes the others their replicas.
    private func create(replicasPerMaster: Int) async throws {
        let log = nodes[0].directory.appendingPathComponent("redis-cli.log")
        // An empty file to write to; opening it below throws if it could not be made.
        _ = FileManager.default.createFile(atPath: log.path, contents: nil)
        let output = try FileHandle(forWritingTo: log)
        defer { try? output.close() }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: Self.cliBinary ?? "redis-cli")
        process.arguments =
            ["--cluster", "create"] + ports.map { "127.0.0.1:\($0)" }
            + ["--cluster-replicas", String(replicasPerMaster), "--cluster-yes"]
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = output
        process.standardError = output
        try process.run()
        let deadline = ContinuousClock.now + .seconds(30)
        while process.isRunning, ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(20))
        }
        if process.isRunning { Foundation.kill(process.processIdentifier, SIGKILL) }
        let text = (try? String(contentsOf: log, encoding: .utf8)) ?? ""
        guard !process.isRunning, process.terminationStatus == 0 else { throw TestClusterError.createFailed(text) }
    }

    /// Until every node says `cluster_state:ok` and knows every other, and every replica's link to its master is
    /// up (a replica that never synced would not take over, and `WAIT` would not count it).
    private func waitUntilReady() async throws {
        let deadline = ContinuousClock.now + .seconds(30)
        var pending = Set(ports)
        while !pending.isEmpty {
            guard ContinuousClock.now < deadline else { throw TestClusterError.notReady(ports: pending.sorted()) }
            for port in pending where try await isReady(port) { pending.remove(port) }
            if !pending.isEmpty { try await Task.sleep(for: .milliseconds(50)) }
        }
    }

    private func isReady(_ port: Int) async throws -> Bool {
        let info = try await send(["CLUSTER", "INFO"], to: port).string ?? ""
        guard info.contains("cluster_state:ok"), info.contains("cluster_known_nodes:\(nodes.count)\r") else {
            return false
        }
        let replication = try await send(["INFO", "replication"], to: port).string ?? ""
        return replication.contains("role:master") || replication.contains("master_link_status:up")
    }

    /// A port below 55536 whose cluster bus port (10000 higher) is free too; kept below the ephemeral range so
    /// an outgoing connection does not take either.
    private static func clusterPort() async throws -> Int {
        for _ in 0..<50 {
            let port = Int.random(in: 12000..<22000)
            if await isFree(port), await isFree(port + 10000) { return port }
        }
        throw TestClusterError.noFreePort
    }

    private static func isFree(_ port: Int) async -> Bool {
        do {
            let channel = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
                .bind(host: "127.0.0.1", port: port).get()
            try await channel.close()
            return true
        } catch {
            return false
        }
    }
}

enum TestClusterError: Error, CustomStringConvertible {
    case createFailed(String)
    case notReady(ports: [Int])
    case noFreePort
    case noNodeAnswered
    case slotNotServed(Int)
    case unexpected(RESPValue)

    var description: String {
        switch self {
        case .createFailed(let log): "redis-cli --cluster create failed:\n\(log)"
        case .notReady(let ports): "cluster nodes \(ports) did not reach cluster_state:ok within 30 s"
        case .noFreePort: "no free port pair for a cluster node"
        case .noNodeAnswered: "no cluster node answered"
        case .slotNotServed(let slot): "no node serves slot \(slot)"
        case .unexpected(let reply): "unexpected reply \(reply)"
        }
    }
}

/// Runs a whole suite against one cluster of three masters, started before its first test and stopped after its
/// last; its tests read it from ``TestRedisCluster/shared``. Mark the suite `.serialized` too when tests change
/// the cluster (moving slots, flushing).
struct SharedClusterTrait: SuiteTrait, TestScoping {
    var isRecursive: Bool { false }

    func provideScope(
        for test: Test, testCase: Test.Case?, performing function: @Sendable () async throws -> Void
    ) async throws {
        try await TestRedisCluster.withCluster { cluster in
            try await TestRedisCluster.$shared.withValue(cluster) { try await function() }
        }
    }
}

extension Trait where Self == SharedClusterTrait {
    /// One cluster for the whole suite (see ``SharedClusterTrait``).
    static var sharedCluster: Self { Self() }
}
