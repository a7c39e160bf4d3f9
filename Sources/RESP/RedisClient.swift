import Logging
import NIOCore
import NIOPosix

/// The Redis client to use in the app: a small pool of connections behind the ``RedisCommandExecutor`` API.
///
/// Connections are opened on first use (creating a client does no I/O), at most
/// ``RedisConfiguration/maximumConnections`` of them. A connection that closed — server restart, command timeout,
/// network error — is replaced on the next command, so the client recovers by itself once Redis is back. A command
/// that fails because of a connection is not retried: it may have run.
///
/// With a cluster configuration (``RedisConfiguration/isCluster``) the same API talks to a Redis Cluster: each
/// command goes to the master that serves its keys (one pool per master), redirects and failovers are followed
/// within the command's time budget, and commands whose keys are in different slots fail before being sent. See
/// ``send(_:timeout:)``.
///
/// Call ``shutdown()`` before the event loop group goes away.
public final class RedisClient: RedisCommandExecutor, Sendable {
    /// The configuration every pooled and subscriber connection uses (in a cluster, each with its node's address).
    public let configuration: RedisConfiguration
    private let backend: Backend
    private let eventLoopGroup: any EventLoopGroup
    private let logger: Logger

    /// One server's pool, or the cluster router with a pool per master. Chosen once, so a single server pays
    /// nothing for cluster support.
    private enum Backend: Sendable {
        case server(RedisConnectionPool)
        case cluster(RedisClusterRouter)
    }

    public init(
        configuration: RedisConfiguration,
        eventLoopGroup: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton,
        logger: Logger = Logger(label: "RESP")
    ) {
        self.configuration = configuration
        self.eventLoopGroup = eventLoopGroup
        self.logger = logger
        self.backend =
            if configuration.isCluster {
                .cluster(
                    RedisClusterRouter(configuration: configuration, eventLoopGroup: eventLoopGroup, logger: logger))
            } else {
                .server(
                    RedisConnectionPool(configuration: configuration, eventLoopGroup: eventLoopGroup, logger: logger))
            }
    }

    /// Sends one command and returns its reply (see ``RedisCommandExecutor/send(_:timeout:)``).
    ///
    /// In a cluster the command goes to the master of its keys' slot, or to any master when it has no key.
    /// `FLUSHALL`, `FLUSHDB`, `SCRIPT LOAD`/`FLUSH` and `FUNCTION LOAD`/`FLUSH`/`DELETE` run on every master
    /// (returning the first reply), since each master keeps its own data and scripts. `PUBLISH` needs no fan-out
    /// (the cluster delivers it to every node); it goes to the master of its channel's slot, so that one channel's
    /// messages travel one path and arrive in order. Keys in different slots throw ``RedisClientError/crossSlot(command:)``
    /// before anything is sent. `timeout` (else the configured command timeout) bounds each try and the whole of
    /// the retries.
    public func send(_ command: RESPCommand, timeout: Duration?) async throws -> RESPValue {
        switch backend {
        case .server(let pool):
            return try await withConnection(from: pool) { try await $0.send(command, timeout: timeout) }
        case .cluster(let router):
            let reply = try await router.send(command, timeout: timeout)
            if case .error(let message) = reply { throw RESPError(message: message) }
            return reply
        }
    }

    /// Pipelines `commands` on one connection (see ``RedisCommandExecutor/pipeline(_:timeout:)``). In a cluster,
    /// one pipeline per node, all at once, with the replies put back in order; a reply that is a redirect is
    /// replaced by the reply to the command sent again alone to the right node.
    public func pipeline(_ commands: [RESPCommand], timeout: Duration?) async throws -> [RESPValue] {
        guard !commands.isEmpty else { return [] }
        switch backend {
        case .server(let pool):
            return try await withConnection(from: pool) { try await $0.pipeline(commands, timeout: timeout) }
        case .cluster(let router):
            return try await router.pipeline(commands, timeout: timeout)
        }
    }

    /// Runs `body` with one connection to itself, for command sequences that must share a connection
    /// (`WATCH`/`MULTI`/`EXEC`). The connection goes back to the pool afterwards, or is dropped if it closed.
    /// Do not change connection state (`SELECT`, `CLIENT SETNAME`) in `body`: the next borrower would inherit it.
    ///
    /// Throws ``RedisClientError/keyRequiredInCluster`` in a cluster, where a connection reaches one node and so only
    /// some keys: use ``withConnection(forKey:_:)`` there.
    public func withConnection<Value>(_ body: (RedisConnection) async throws -> Value) async throws -> Value {
        switch backend {
        case .server(let pool): return try await withConnection(from: pool, body)
        case .cluster: throw RedisClientError.keyRequiredInCluster
        }
    }

    /// Runs `body` with one connection to the node that holds `key` (in a cluster, the master of its slot; else the
    /// one server), for command sequences on that key (or keys with the same hash tag) that must share a
    /// connection: `WATCH`/`MULTI`/`EXEC`, or a write followed by `WAIT`. Redirects are not followed inside `body`.
    public func withConnection<Value>(
        forKey key: String, _ body: (RedisConnection) async throws -> Value
    ) async throws -> Value {
        switch backend {
        case .server(let pool): return try await withConnection(from: pool, body)
        case .cluster(let router): return try await router.withConnection(forKey: key, body)
        }
    }

    private func withConnection<Value>(
        from pool: RedisConnectionPool, _ body: (RedisConnection) async throws -> Value
    ) async throws -> Value {
        let connection = try await pool.lease()
        do {
            let result = try await body(connection)
            await pool.release(connection)
            return result
        } catch {
            await pool.release(connection)
            throw error
        }
    }

    /// Subscribes to `channels` on a new connection of its own (a subscribed connection can run no other
    /// commands), and returns once Redis has confirmed every channel: a message published after this returns is
    /// delivered. The subscriber connection does not count against the pool size.
    ///
    /// In a cluster the connection goes to any node that answers (a cluster delivers every `PUBLISH` to every
    /// node); subscribing again after a loss picks a live node from the current map.
    public func subscribe(to channels: [String]) async throws -> RedisSubscription {
        switch backend {
        case .server:
            return try await RedisSubscription.open(
                channels: channels, configuration: configuration, eventLoopGroup: eventLoopGroup, logger: logger)
        case .cluster(let router):
            return try await router.subscribe(to: channels)
        }
    }

    /// Stops lending connections and closes the idle ones (in a cluster, those of every node); commands in flight
    /// finish and their connections close when returned. Later commands throw ``RedisClientError/clientShutDown``.
    /// Subscriptions are closed by their owners.
    public func shutdown() async {
        switch backend {
        case .server(let pool): await pool.shutdown()
        case .cluster(let router): await router.topology.shutdown()
        }
    }

    /// What the client knows of the cluster; `nil` for a single server (for tests).
    var clusterTopology: RedisClusterTopology? {
        if case .cluster(let router) = backend { router.topology } else { nil }
    }

    /// Connections open or being opened, to all nodes (for tests).
    var connectionCount: Int {
        get async {
            switch backend {
            case .server(let pool): await pool.connectionCount
            case .cluster(let router): await router.topology.connectionCount
            }
        }
    }
}
