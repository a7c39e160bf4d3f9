import NIOConcurrencyHelpers
import NIOCore
import NIOWebSocket

/// Sits between the frame decoder and WebSocketKit on every live socket and sees each frame as it arrives, fragments
/// included (WebSocketKit only shows whole messages, after buffering them without a limit):
/// - a message, all its fragments together, longer than `maxMessageBytes` closes the socket with 1009 as soon as it
///   crosses the limit, so nothing longer is ever buffered;
/// - every frame (a whole message, a fragment, a ping or a pong) counts against `maxFrames` per `window`; one more
///   closes the socket with 1008;
/// - without `LiveActivity` (a whole valid message, a ping or a pong) for `idleTimeout` the socket is closed with
///   1001, so a client that sends only fragments is not kept open by them.
///
/// Once a close frame has gone out (from here or from WebSocketKit) it drops whatever the client still sends but its
/// close, sends nothing more, and closes the connection if the client has not answered within `closeGrace`: a
/// client that never answers a close cannot keep its socket, or have more of its message read.
final class LiveFrameGuard: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = WebSocketFrame
    typealias InboundOut = WebSocketFrame
    typealias OutboundIn = WebSocketFrame
    typealias OutboundOut = WebSocketFrame

    struct Limits: Sendable {
        var maxMessageBytes = LiveSession.maxFrameBytes
        var maxFrames = LiveSession.maxMessages
        var window = TimeAmount.seconds(LiveSession.rateWindow.components.seconds)
        /// nil: never closed for idling.
        var idleTimeout: TimeAmount?
        var closeGrace: TimeAmount = .seconds(2)
    }

    /// Asks the guard of a channel to close its socket (`Channel.triggerUserOutboundEvent`, from any thread), after
    /// sending `reply` as a text message.
    struct Close: Sendable {
        var code: WebSocketErrorCode
        var reply: String?
    }

    private let limits: Limits
    private let activity: LiveActivity
    /// Bytes of the fragmented message being received; nil between messages.
    private var messageBytes: Int?
    private var windowStart: NIODeadline?
    private var frames = 0
    private var closing = false
    private var idleCheck: Scheduled<Void>?
    private var forcedClose: Scheduled<Void>?

    init(limits: Limits, activity: LiveActivity) {
        self.limits = limits
        self.activity = activity
    }

    func handlerAdded(context: ChannelHandlerContext) {
        scheduleIdleCheck(context, at: activity.last)
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        idleCheck?.cancel()
        forcedClose?.cancel()
    }

    func channelInactive(context: ChannelHandlerContext) {
        idleCheck?.cancel()
        forcedClose?.cancel()
        context.fireChannelInactive()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let frame = unwrapInboundIn(data)
        if closing {
            if frame.opcode == .connectionClose { context.close(promise: nil) }
            return
        }
        guard countFrame() else {
            let detail = "More than \(limits.maxFrames) frames in \(limits.window.nanoseconds / 1_000_000_000) s."
            close(context, Close(code: .policyViolation, reply: LiveSession.Reply.error(.rateLimited, detail).text))
            return
        }
        switch frame.opcode {
        case .text, .binary:
            guard messageBytes == nil else { return close(context, Close(code: .protocolError)) }
            guard frame.length <= limits.maxMessageBytes else { return close(context, Close(code: .messageTooLarge)) }
            messageBytes = frame.fin ? nil : frame.length
        case .continuation:
            guard let received = messageBytes else { return close(context, Close(code: .protocolError)) }
            let total = received + frame.length
            guard total <= limits.maxMessageBytes else { return close(context, Close(code: .messageTooLarge)) }
            messageBytes = frame.fin ? nil : total
        case .ping, .pong:
            activity.touch()
        default:
            break
        }
        context.fireChannelRead(data)
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        guard !closing else {
            promise?.fail(ChannelError.ioOnClosedChannel)
            return
        }
        if unwrapOutboundIn(data).opcode == .connectionClose { startClosing(context) }
        context.write(data, promise: promise)
    }

    func triggerUserOutboundEvent(context: ChannelHandlerContext, event: Any, promise: EventLoopPromise<Void>?) {
        guard let request = event as? Close else {
            context.triggerUserOutboundEvent(event, promise: promise)
            return
        }
        close(context, request)
        promise?.succeed(())
    }

    /// Fixed windows of `window`, each allowing `maxFrames`.
    private func countFrame() -> Bool {
        let now = NIODeadline.now()
        if let start = windowStart, now - start < limits.window {
            frames += 1
        } else {
            windowStart = now
            frames = 1
        }
        return frames <= limits.maxFrames
    }

    private func close(_ context: ChannelHandlerContext, _ request: Close) {
        guard !closing else { return }
        if let reply = request.reply {
            let text = WebSocketFrame(fin: true, opcode: .text, data: context.channel.allocator.buffer(string: reply))
            context.write(wrapOutboundOut(text), promise: nil)
        }
        var code = context.channel.allocator.buffer(capacity: 2)
        code.write(webSocketErrorCode: request.code)
        startClosing(context)
        context.writeAndFlush(wrapOutboundOut(WebSocketFrame(fin: true, opcode: .connectionClose, data: code)))
            .whenFailure { [channel = context.channel] _ in channel.close(promise: nil) }
    }

    private func startClosing(_ context: ChannelHandlerContext) {
        guard !closing else { return }
        closing = true
        messageBytes = nil
        idleCheck?.cancel()
        let channel = context.channel
        forcedClose = context.eventLoop.scheduleTask(in: limits.closeGrace) { channel.close(promise: nil) }
    }

    private func scheduleIdleCheck(_ context: ChannelHandlerContext, at last: NIODeadline) {
        guard let timeout = limits.idleTimeout, !closing else { return }
        let deadline = last + timeout
        idleCheck = context.eventLoop.assumeIsolated().scheduleTask(deadline: deadline) { [self] in
            let last = activity.last
            if NIODeadline.now() >= last + timeout {
                close(context, Close(code: .goingAway))
            } else {
                scheduleIdleCheck(context, at: last)
            }
        }
    }
}

/// When a live socket last showed its client is there: a whole valid message (`LiveSession`), a ping or a pong
/// (`LiveFrameGuard`). Read by the guard's idle check.
final class LiveActivity: Sendable {
    private let instant = NIOLockedValueBox(NIODeadline.now())

    var last: NIODeadline { instant.withLockedValue { $0 } }

    func touch() {
        instant.withLockedValue { $0 = .now() }
    }
}
