import NIOConcurrencyHelpers
import RESP
import Vapor

/// Keeps one Redis subscription up until `stop`: after a loss it subscribes again every second. The owner hears when
/// the subscription is (again) confirmed, each message, and each loss; messages published while nobody listened are
/// gone, which is why `subscribed` is called after every reconnection, not only the first.
final class ChannelListener: Sendable {
    struct Handlers: Sendable {
        var subscribed: @Sendable () -> Void
        var message: @Sendable (RedisPubSubMessage) async -> Void
        var lost: @Sendable () -> Void
    }

    private let redis: RedisClient
    private let channels: [String]
    private let logger: Logger
    private let task = NIOLockedValueBox<Task<Void, Never>?>(nil)

    init(redis: RedisClient, channels: [String], logger: Logger) {
        self.redis = redis
        self.channels = channels
        self.logger = logger
    }

    /// Starts listening; returns once the first subscription is confirmed, or after the first failure. A second call
    /// while listening does nothing.
    func start(_ handlers: Handlers) async {
        guard task.withLockedValue({ $0 == nil }) else { return }
        let (redis, channels, logger) = (self.redis, self.channels, self.logger)
        let (ready, signal) = AsyncStream<Void>.makeStream()
        let loop = Task {
            var signal: AsyncStream<Void>.Continuation? = signal
            while !Task.isCancelled {
                do {
                    let subscription = try await redis.subscribe(to: channels)
                    handlers.subscribed()
                    signal?.finish()
                    signal = nil
                    defer { Task { await subscription.unsubscribe() } }
                    for try await message in subscription { await handlers.message(message) }
                } catch {
                    if !Task.isCancelled {
                        logger.warning(
                            "Redis channel lost; subscribing again",
                            metadata: ["channels": "\(channels)", "error": "\(String(reflecting: error))"])
                    }
                }
                handlers.lost()
                signal?.finish()
                signal = nil
                try? await Task.sleep(for: .seconds(1))
            }
        }
        task.withLockedValue { $0 = loop }
        for await _ in ready {}
    }

    func stop() async {
        let loop = task.withLockedValue { task in
            defer { task = nil }
            return task
        }
        loop?.cancel()
        await loop?.value
    }
}
