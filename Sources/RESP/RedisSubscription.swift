import Logging
import NIOCore

/// One message received on a subscribed channel.
public struct RedisPubSubMessage: Sendable, Hashable {
    /// The channel it was published to.
    public var channel: String
    /// The message bytes, exactly as published.
    public var payload: [UInt8]

    public init(channel: String, payload: [UInt8]) {
        self.channel = channel
        self.payload = payload
    }

    /// The message as UTF-8 text.
    public var message: String { String(decoding: payload, as: UTF8.self) }
}

/// A live `SUBSCRIBE` on a dedicated connection; iterate it (or ``messages``) to receive messages.
///
/// The sequence finishes normally after ``unsubscribe()`` or ``close()``, and throws
/// ``RedisClientError/connectionClosed`` if the connection is lost; it does not resubscribe by itself, so a
/// long-lived listener subscribes again in a loop. Messages are buffered until read. Stopping the iteration
/// (breaking out, or cancelling the task) closes the connection.
public final class RedisSubscription: AsyncSequence, Sendable {
    public typealias Element = RedisPubSubMessage

    /// The channels subscribed to.
    public let channels: [String]
    /// The messages, in the order Redis sent them. Single consumer.
    public let messages: AsyncThrowingStream<RedisPubSubMessage, any Error>
    private let connection: RedisConnection

    private init(
        channels: [String], messages: AsyncThrowingStream<RedisPubSubMessage, any Error>, connection: RedisConnection
    ) {
        self.channels = channels
        self.messages = messages
        self.connection = connection
    }

    public func makeAsyncIterator() -> AsyncThrowingStream<RedisPubSubMessage, any Error>.Iterator {
        messages.makeAsyncIterator()
    }

    /// `true` once the connection is closed.
    public var isClosed: Bool { connection.isClosed }

    /// Sends `UNSUBSCRIBE` and waits (at most the command timeout) for Redis to confirm, then closes the
    /// connection. Messages that arrived before the confirmation are still delivered.
    public func unsubscribe() async {
        let channel = connection.channel
        channel.writeAndFlush(RESPCommand(["UNSUBSCRIBE"]), promise: nil)
        let timer = channel.eventLoop.scheduleTask(in: TimeAmount(connection.configuration.commandTimeout)) {
            channel.close(promise: nil)
        }
        try? await channel.closeFuture.get()
        timer.cancel()
    }

    /// Closes the connection at once, which ends every subscription on it.
    public func close() async {
        await connection.close()
    }

    static func open(
        channels: [String], configuration: RedisConfiguration, eventLoopGroup: any EventLoopGroup, logger: Logger
    ) async throws -> RedisSubscription {
        let connection = try await RedisConnection.connect(
            configuration: configuration, eventLoopGroup: eventLoopGroup, logger: logger)
        let channel = connection.channel
        let (messages, continuation) = AsyncThrowingStream.makeStream(of: RedisPubSubMessage.self)
        // Capturing the connection keeps it open for as long as anyone holds the stream, even without this object.
        continuation.onTermination = { _ in connection.channel.close(promise: nil) }
        let confirmed = channel.eventLoop.makePromise(of: Void.self)
        do {
            // Swap the request/reply handler for the push handler; no command is in flight, so no reply can be
            // lost between the two.
            try await channel.eventLoop.submit {
                let pipeline = channel.pipeline.syncOperations
                pipeline.removeHandler(try pipeline.handler(type: RedisCommandHandler.self), promise: nil)
                try pipeline.addHandler(
                    PubSubHandler(
                        channels: channels, confirmation: confirmed, continuation: continuation, logger: logger))
            }.get()
            channel.writeAndFlush(RESPCommand(["SUBSCRIBE"] + channels)).whenFailure { confirmed.fail($0) }
            let timeout = configuration.commandTimeout
            let timer = channel.eventLoop.scheduleTask(in: TimeAmount(timeout)) {
                confirmed.fail(RedisClientError.commandTimeout(after: timeout))
            }
            defer { timer.cancel() }
            try await confirmed.futureResult.get()
        } catch {
            continuation.finish(throwing: error)
            await connection.close()
            throw error
        }
        return RedisSubscription(channels: channels, messages: messages, connection: connection)
    }
}
