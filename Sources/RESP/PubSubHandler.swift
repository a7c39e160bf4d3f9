import Logging
import NIOCore

/// Drives a connection in subscribed mode, where Redis stops answering command by command and instead pushes
/// three-element arrays: `["subscribe", channel, count]` to confirm, `["message", channel, payload]` to deliver,
/// `["unsubscribe", channel, count]` when a subscription ends.
///
/// Messages go to an `AsyncThrowingStream`. It finishes normally when we end the subscription (our own `close`, or
/// the confirmation that the last channel was unsubscribed) and with an error when the server or the network does.
final class PubSubHandler: ChannelDuplexHandler {
    typealias InboundIn = RESPValue
    typealias OutboundIn = RESPCommand
    typealias OutboundOut = ByteBuffer

    private let continuation: AsyncThrowingStream<RedisPubSubMessage, any Error>.Continuation
    /// Completed when every channel asked for has been confirmed.
    private var confirmation: EventLoopPromise<Void>?
    private var unconfirmed: Set<String>
    /// Set when our side closes the channel, so the stream ends without an error.
    private var closingOnPurpose = false
    private let logger: Logger

    init(
        channels: [String], confirmation: EventLoopPromise<Void>,
        continuation: AsyncThrowingStream<RedisPubSubMessage, any Error>.Continuation, logger: Logger
    ) {
        self.unconfirmed = Set(channels)
        self.confirmation = confirmation
        self.continuation = continuation
        self.logger = logger
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        let command = unwrapOutboundIn(data)
        var buffer = context.channel.allocator.buffer(capacity: command.encodedLength)
        command.encode(into: &buffer)
        context.write(wrapOutboundOut(buffer), promise: promise)
    }

    /// Only closes that our own code asks for pass through here; a server hang-up arrives as `channelInactive`.
    func close(context: ChannelHandlerContext, mode: CloseMode, promise: EventLoopPromise<Void>?) {
        closingOnPurpose = true
        context.close(mode: mode, promise: promise)
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let value = unwrapInboundIn(data)
        if case .error(let message) = value {
            // Redis refused SUBSCRIBE (e.g. NOPERM under ACLs) or a command sent in subscribed mode.
            end(with: RESPError(message: message), context: context)
            return
        }
        guard let parts = value.array, let kind = parts.first?.string?.lowercased() else {
            end(with: RedisClientError.protocolError("unexpected reply in subscribed mode: \(value)"), context: context)
            return
        }
        switch (kind, parts.count) {
        case ("message", 3):
            guard let channel = parts[1].string, let payload = parts[2].bytes else { break }
            continuation.yield(RedisPubSubMessage(channel: channel, payload: payload))
        case ("subscribe", 3):
            if let channel = parts[1].string { unconfirmed.remove(channel) }
            if unconfirmed.isEmpty {
                confirmation?.succeed()
                confirmation = nil
            }
        case ("unsubscribe", 3):
            if parts[2].int == 0 {
                // No channel left: the subscription is over, as asked.
                closingOnPurpose = true
                continuation.finish()
                context.close(promise: nil)
            }
        default:
            // `pong` and pattern replies: nothing to deliver.
            logger.trace("ignored pub/sub reply", metadata: ["kind": "\(kind)"])
        }
    }

    func channelInactive(context: ChannelHandlerContext) {
        confirmation?.fail(RedisClientError.connectionClosed)
        confirmation = nil
        if closingOnPurpose {
            continuation.finish()
        } else {
            continuation.finish(throwing: RedisClientError.connectionClosed)
        }
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        logger.debug("Redis subscriber connection failed", metadata: ["error": "\(error)"])
        end(with: error as? RedisClientError ?? .connectionClosed, context: context)
    }

    /// Ends the subscription with `error`: the stream (or the pending `subscribe`) fails, the connection closes.
    private func end(with error: any Error, context: ChannelHandlerContext) {
        confirmation?.fail(error)
        confirmation = nil
        continuation.finish(throwing: error)
        context.close(promise: nil)
    }
}
