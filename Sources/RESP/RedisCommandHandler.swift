import Logging
import NIOCore

/// A batch of commands written together (one command, or a pipeline) and the promise for their replies.
struct RedisRequest: Sendable {
    var commands: [RESPCommand]
    /// `nil` waits for ever (only for tests of the handler itself).
    var timeout: Duration?
    var promise: EventLoopPromise<[RESPValue]>
}

/// Matches replies to requests in order: Redis answers the commands of one connection strictly in the order it
/// received them, so a FIFO queue of outstanding requests is all pipelining needs.
///
/// A reply that is late cannot be told apart from the reply to the next command, so a timeout — like any
/// protocol or I/O error — fails every outstanding request and closes the channel. After that, every new
/// request fails at once and the owner (the pool) replaces the connection.
final class RedisCommandHandler: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = RESPValue
    typealias OutboundIn = RedisRequest
    typealias OutboundOut = ByteBuffer

    private struct Outstanding {
        let id: UInt64
        let expected: Int
        var replies: [RESPValue]
        let promise: EventLoopPromise<[RESPValue]>
        let timer: Scheduled<Void>?
    }

    private var outstanding = CircularBuffer<Outstanding>()
    private var nextID: UInt64 = 0
    /// Set once the connection is finished; new requests fail with it.
    private var failure: RedisClientError?
    private var context: ChannelHandlerContext?
    private let logger: Logger

    init(logger: Logger) {
        self.logger = logger
    }

    /// How many requests wait for replies (for tests).
    var outstandingCount: Int { outstanding.count }

    func handlerAdded(context: ChannelHandlerContext) {
        self.context = context
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        self.context = nil
        failAll(with: failure ?? .connectionClosed)
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        let request = unwrapOutboundIn(data)
        if let failure {
            request.promise.fail(failure)
            promise?.fail(failure)
            return
        }
        var buffer = context.channel.allocator.buffer(capacity: request.commands.reduce(0) { $0 + $1.encodedLength })
        for command in request.commands { command.encode(into: &buffer) }

        let id = nextID
        nextID &+= 1
        let timer = request.timeout.map { timeout in
            context.eventLoop.assumeIsolated().scheduleTask(in: TimeAmount(timeout)) { [weak self] () -> Void in
                self?.timeOut(id: id, after: timeout)
            }
        }
        outstanding.append(
            Outstanding(id: id, expected: request.commands.count, replies: [], promise: request.promise, timer: timer))
        context.write(wrapOutboundOut(buffer), promise: promise)
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let value = unwrapInboundIn(data)
        guard !outstanding.isEmpty else {
            finish(with: .protocolError("a reply nobody asked for: \(value)"), context: context)
            return
        }
        outstanding[outstanding.startIndex].replies.append(value)
        if let first = outstanding.first, first.replies.count == first.expected {
            outstanding.removeFirst()
            first.timer?.cancel()
            first.promise.succeed(first.replies)
        }
    }

    func channelInactive(context: ChannelHandlerContext) {
        finish(with: .connectionClosed, context: context)
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        // Decoder errors arrive as RedisClientError; I/O errors (reset by peer) mean the connection is gone.
        let reason = error as? RedisClientError ?? .connectionClosed
        logger.debug("Redis connection failed", metadata: ["error": "\(error)"])
        finish(with: reason, context: context)
    }

    private func timeOut(id: UInt64, after timeout: Duration) {
        guard let context, outstanding.contains(where: { $0.id == id }) else { return }
        logger.warning(
            "Redis command timed out; closing the connection",
            metadata: ["timeout": "\(timeout)", "outstanding": "\(outstanding.count)"])
        finish(with: .commandTimeout(after: timeout), context: context)
    }

    /// Ends the connection: later requests fail with `error`, outstanding ones too.
    private func finish(with error: RedisClientError, context: ChannelHandlerContext) {
        if failure == nil { failure = error }
        // Take the outstanding requests first: closing fires channelInactive at once, which would fail them with
        // the less precise `connectionClosed`. Close before failing them, so a caller that resumes sees the
        // connection as closed and its pool does not hand it out again.
        let failed = takeOutstanding()
        context.close(promise: nil)
        fail(failed, with: error)
    }

    private func failAll(with error: RedisClientError) {
        fail(takeOutstanding(), with: error)
    }

    private func takeOutstanding() -> CircularBuffer<Outstanding> {
        defer { outstanding.removeAll() }
        return outstanding
    }

    private func fail(_ requests: CircularBuffer<Outstanding>, with error: RedisClientError) {
        for request in requests {
            request.timer?.cancel()
            request.promise.fail(error)
        }
    }
}
