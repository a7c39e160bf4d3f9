import NIOConcurrencyHelpers
import RESP
import Vapor

/// Fan-out of live events to the sockets of every instance: whatever one instance publishes, each instance's hub
/// sends to its own sockets.
protocol LiveBus: Sendable {
    var hub: SocketHub { get }
    func publish(_ event: LiveEvent) async
    /// Starts hearing the other instances (Redis); returns once it hears them, or after the first failure.
    func start() async
    func stop() async
}

/// One instance: events go straight to this instance's sockets.
struct InProcessLiveBus: LiveBus {
    let hub: SocketHub

    func publish(_ event: LiveEvent) async {
        await hub.deliver(event)
    }

    func start() async {}
    func stop() async {}
}

/// Several instances on one Redis: every event is published on one channel that every instance subscribes to,
/// and each delivers what it hears (its own events included) to its sockets.
///
/// Live events are a best-effort nudge on top of the state clients can always re-read (seat maps, `GET
/// /notifications`): while this instance cannot publish or is not subscribed, its own events still reach its own
/// sockets, and the other instances' are missed until the subscription is back.
final class RedisLiveBus: LiveBus {
    let hub: SocketHub
    private let redis: RedisClient
    private let channel: String
    private let logger: Logger
    private let listener: ChannelListener
    private let listening = NIOLockedValueBox(false)

    init(redis: RedisClient, channel: String, hub: SocketHub, logger: Logger) {
        self.redis = redis
        self.channel = channel
        self.hub = hub
        self.logger = logger
        self.listener = ChannelListener(redis: redis, channels: [channel], logger: logger)
    }

    func publish(_ event: LiveEvent) async {
        if listening.withLockedValue({ $0 }) {
            do {
                let text = String(decoding: try JSONEncoder.api.encode(event), as: UTF8.self)
                _ = try await redis.publish(text, to: channel)
                return
            } catch {
                logger.warning("live event not published", metadata: ["error": "\(String(reflecting: error))"])
            }
        }
        await hub.deliver(event)
    }

    func start() async {
        let (hub, logger, listening) = (self.hub, self.logger, self.listening)
        await listener.start(
            .init(
                subscribed: { listening.withLockedValue { $0 = true } },
                message: { message in
                    guard let event = try? JSONDecoder.api.decode(LiveEvent.self, from: Data(message.payload)) else {
                        logger.debug("unreadable live event dropped")
                        return
                    }
                    await hub.deliver(event)
                },
                lost: { listening.withLockedValue { $0 = false } }))
    }

    func stop() async {
        await listener.stop()
        listening.withLockedValue { $0 = false }
    }
}

/// Starts and stops hearing the other instances with the app; at shutdown it also closes every live socket (clients
/// reconnect to another instance).
struct LiveBusLifecycle: LifecycleHandler {
    let bus: any LiveBus

    func didBootAsync(_ application: Application) async throws {
        await bus.start()
    }

    func shutdownAsync(_ application: Application) async {
        await bus.stop()
        await bus.hub.closeAll()
    }
}
