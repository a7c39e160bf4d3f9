import Foundation

/// The replaceable parts of the app: production passes `live`, tests pass a moved clock and the like.
public struct AppServices: Sendable {
    public var clock: any AppClock
    public var loginLimiter: any RateLimiter

    public init(clock: any AppClock, loginLimiter: (any RateLimiter)? = nil) {
        self.clock = clock
        self.loginLimiter = loginLimiter ?? InProcessRateLimiter(clock: clock)
    }

    public static func live(config: AppConfig) -> AppServices {
        AppServices(clock: SystemClock())
    }
}
