import Foundation

/// The replaceable parts of the app: production passes `live`, tests pass a moved clock and the like.
public struct AppServices: Sendable {
    public var clock: any AppClock
    /// Counts rate-limited attempts; `configure` picks Redis when `REDIS_URL` is set and this is nil.
    public var rateLimiter: (any RateLimiter)?
    /// Where seat holds live; `configure` picks Redis when `REDIS_URL` is set and this is nil.
    public var holdStore: (any SeatHoldStore)?
    public var metrics: any AppMetrics
    /// The payment gateway; nil lets `configure` build the one `PAYMENT_GATEWAY` names.
    var paymentGateway: (any PaymentGateway)?
    /// Hears every delivered event after notifications and live pushes; tests pass an in-memory bus to read them.
    var events: any EventBus = NoEventBus()
    /// Whether the background jobs (outbox, expiry, sweeps) run on their timers once the app boots. Tests turn them
    /// off and run a job's work by hand, so nothing changes under a test on a timer.
    public var runsJobs = true

    public init(
        clock: any AppClock, rateLimiter: (any RateLimiter)? = nil, holdStore: (any SeatHoldStore)? = nil,
        metrics: (any AppMetrics)? = nil
    ) {
        self.clock = clock
        self.rateLimiter = rateLimiter
        self.holdStore = holdStore
        self.metrics = metrics ?? PrometheusMetrics()
    }

    /// Production parts for this configuration: the system clock (`configure` makes the gateway `PAYMENT_GATEWAY`
    /// names, with the app's HTTP client).
    public static func live(config: AppConfig) -> AppServices {
        AppServices(clock: SystemClock())
    }
}
