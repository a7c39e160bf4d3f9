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
/// Call ``shutdown()`` before the event loop group goes away.
public final class RedisClient: RedisCommandExecutor, Sendable {
    /// The configuration every pooled and subscriber connection uses.
    public let configuration: RedisConfiguration
    private let pool: RedisConnectionPool
    private let eventLoopGroup: any EventLoopGroup
    private let logger: Logger

    public init(
        configuration: RedisConfiguration,
        eventLoopGroup: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton,
        logger: Logger = Logger(label: "RESP")
    ) {
        self.configuration = configuration
        self.eventLoopGroup = eventLoopGroup
        self.logger = logger
        self.pool = RedisConnectionPool(configuration: configuration, eventLoopGroup: eventLoopGroup, logger: logger)
    }

    public func send(_ command: RESPCommand, timeout: Duration?) async throws -> RESPValue {
        try await withConnection { try await $0.send(command, timeout: timeout) }
    }

    public func pipeline(_ commands: [RESPCommand], timeout: Duration?) async throws -> [RESPValue] {
        guard !commands.isEmpty else { return [] }
        return try await withConnection { try await $0.pipeline(commands, timeout: timeout) }
    }

    /// Runs `body` with one connection to itself, for command sequences that must share a connection
    /// (`WATCH`/`MULTI`/`EXEC`). The connection goes back to the pool afterwards, or is dropped if it closed.
    /// Do not change connection state (`SELECT`, `CLIENT SETNAME`) in `body`: the next borrower would inherit it.
    public func withConnection<Value>(_ body: (RedisConnection) async throws -> Value) async throws -> Value {
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
    public func subscribe(to channels: [String]) async throws -> RedisSubscription {
        try await RedisSubscription.open(
            channels: channels, configuration: configuration, eventLoopGroup: eventLoopGroup, logger: logger)
    }

    /// Stops lending connections and closes the idle ones; commands in flight finish and their connections close
    /// when returned. Later commands throw ``RedisClientError/clientShutDown``. Subscriptions are closed by their
    /// owners.
    public func shutdown() async {
        await pool.shutdown()
    }

    /// Connections open or being opened (for tests).
    var connectionCount: Int {
        get async { await pool.connectionCount }
    }
}
