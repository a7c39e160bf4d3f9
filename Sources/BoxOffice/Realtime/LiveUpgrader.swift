import NIOCore
import NIOHTTP1
import NIOWebSocket
import Vapor

/// Vapor's `WebSocketUpgrader` with the live socket's own pipeline: `LiveFrameGuard` in front of WebSocketKit, which
/// also caps what its frame aggregator may buffer, and no HTTP idle timer (any byte, a lone fragment included, resets
/// it; the guard's idle rule replaces it).
struct LiveUpgrader: Upgrader {
    let limits: LiveFrameGuard.Limits
    let activity: LiveActivity
    let onUpgrade: @Sendable (WebSocket, any Channel) -> Void

    func applyUpgrade(req: Request, res: Response) -> any HTTPServerProtocolUpgrader {
        let (limits, activity, onUpgrade) = (self.limits, self.activity, self.onUpgrade)
        return NIOWebSocketServerUpgrader(
            maxFrameSize: limits.maxMessageBytes, automaticErrorHandling: false,
            shouldUpgrade: { channel, _ in channel.eventLoop.makeSucceededFuture([:]) },
            upgradePipelineHandler: { channel, _ in
                channel.eventLoop.makeCompletedFuture {
                    let pipeline = channel.pipeline.syncOperations
                    if let idle = try? pipeline.handler(type: IdleStateHandler.self) {
                        pipeline.removeHandler(idle, promise: nil)
                    }
                    try pipeline.addHandler(LiveFrameGuard(limits: limits, activity: activity))
                }.flatMap {
                    var configuration = WebSocket.Configuration()
                    configuration.maxAccumulatedFrameSize = limits.maxMessageBytes
                    configuration.maxAccumulatedFrameCount = limits.maxFrames
                    return WebSocket.server(on: channel, config: configuration) { ws in onUpgrade(ws, channel) }
                }
            })
    }
}
