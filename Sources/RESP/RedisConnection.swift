import Logging
import NIOCore
import NIOPosix

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// One TCP connection to Redis, authenticated and on the configured database.
///
/// Safe to share between tasks: requests are written in order and replies matched in order, so several tasks
/// (or one ``pipeline(_:timeout:)``) can have commands in flight at once. After a timeout, a protocol error or a
/// disconnect the connection is closed for good (``isClosed``); make a new one, or let ``RedisClient`` do it.
///
/// Cancelling the calling task does not abandon a command already written: it still completes or times out.
public final class RedisConnection: RedisCommandExecutor, Sendable {
    let channel: any Channel
    /// The configuration this connection was opened with.
    public let configuration: RedisConfiguration
    let logger: Logger

    private init(channel: any Channel, configuration: RedisConfiguration, logger: Logger) {
        self.channel = channel
        self.configuration = configuration
        self.logger = logger
    }

    /// Opens a connection, then sends `AUTH` and `SELECT` as the configuration asks.
    ///
    /// Throws ``RedisClientError/connectTimeout(host:port:after:)`` or
    /// ``RedisClientError/connectionFailed(host:port:reason:)`` when the server cannot be reached, and a
    /// ``RESPError`` (e.g. `WRONGPASS`) when it refuses the credentials or the database.
    public static func connect(
        configuration: RedisConfiguration,
        eventLoopGroup: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton,
        logger: Logger = Logger(label: "RESP")
    ) async throws -> RedisConnection {
        let host = configuration.host
        let port = configuration.port
        let channel: any Channel
        do {
            channel = try await ClientBootstrap(group: eventLoopGroup)
                .connectTimeout(TimeAmount(configuration.connectTimeout))
                .channelOption(.socketOption(.tcp_nodelay), value: 1)
                // Keepalive lets an idle subscriber notice a server that vanished without closing the socket.
                .channelOption(.socketOption(.so_keepalive), value: 1)
                .channelInitializer { channel in
                    channel.eventLoop.makeCompletedFuture {
                        try channel.pipeline.syncOperations.addHandlers(
                            ByteToMessageHandler(RESPDecoder()), RedisCommandHandler(logger: logger))
                    }
                }
                .connect(host: host, port: port)
                .get()
        } catch ChannelError.connectTimeout {
            throw RedisClientError.connectTimeout(host: host, port: port, after: configuration.connectTimeout)
        } catch {
            throw RedisClientError.connectionFailed(host: host, port: port, reason: Self.reason(error))
        }

        let connection = RedisConnection(channel: channel, configuration: configuration, logger: logger)
        do {
            var handshake: [RESPCommand] = []
            if let password = configuration.password {
                handshake.append(RESPCommand(["AUTH"] + (configuration.username.map { [$0] } ?? []) + [password]))
            }
            if configuration.database != 0 {
                handshake.append(RESPCommand(["SELECT", String(configuration.database)]))
            }
            for reply in try await connection.pipeline(handshake, timeout: nil) {
                if case .error(let message) = reply { throw RESPError(message: message) }
            }
        } catch {
            await connection.close()
            throw error
        }
        logger.debug("connected to Redis", metadata: ["redis": "\(configuration)"])
        return connection
    }

    deinit {
        // Nobody can send on it any more: do not leave the socket open until the server's idle timeout.
        channel.close(promise: nil)
    }

    /// A short reason for a failed connect: "Connection refused", not NIO's nested error dump.
    private static func reason(_ error: any Error) -> String {
        if let error = error as? NIOConnectionError {
            if let dnsError = error.dnsAError ?? error.dnsAAAAError, error.connectionErrors.isEmpty {
                return "cannot resolve the host (\(dnsError))"
            }
            if let first = error.connectionErrors.first { return reason(first.error) }
        }
        if let error = error as? IOError {
            return String(cString: strerror(error.errnoCode))
        }
        return "\(error)"
    }

    /// `true` once the connection is closed, by either side; a closed connection never opens again.
    public var isClosed: Bool { !channel.isActive }

    /// Sends one command and returns its reply; throws a ``RESPError`` for an error reply.
    public func send(_ command: RESPCommand, timeout: Duration?) async throws -> RESPValue {
        let reply = try await write([command], timeout: timeout)[0]
        if case .error(let message) = reply { throw RESPError(message: message) }
        return reply
    }

    /// Writes all commands at once and returns their replies in order. Error replies are returned in place as
    /// ``RESPValue/error(_:)``; only a connection failure throws. `timeout` covers the whole batch.
    public func pipeline(_ commands: [RESPCommand], timeout: Duration?) async throws -> [RESPValue] {
        guard !commands.isEmpty else { return [] }
        return try await write(commands, timeout: timeout)
    }

    private func write(_ commands: [RESPCommand], timeout: Duration?) async throws -> [RESPValue] {
        let promise = channel.eventLoop.makePromise(of: [RESPValue].self)
        let request = RedisRequest(
            commands: commands, timeout: timeout ?? configuration.commandTimeout, promise: promise)
        // A closed channel drops the request before the handler sees it; fail the promise here then.
        channel.writeAndFlush(request).whenFailure { error in
            promise.fail(error as? RedisClientError ?? .connectionClosed)
        }
        return try await promise.futureResult.get()
    }

    /// Closes the connection; commands still in flight fail with ``RedisClientError/connectionClosed``.
    public func close() async {
        try? await channel.close()
    }
}
