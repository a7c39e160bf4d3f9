import Vapor

/// Says when the app starts serving and when it begins to shut down, with what it runs on (never a secret: the
/// database location is redacted). Vapor's server finishes the requests in flight before it closes (it stops
/// accepting, then waits for open requests), which is what a rolling deploy needs.
struct StartupLog: LifecycleHandler {
    let config: AppConfig

    func didBootAsync(_ application: Application) async throws {
        application.logger.notice(
            "boxoffice started",
            metadata: [
                "environment": .string(application.environment.name),
                "database": .string(config.database.redacted),
                "redis": .string(config.redisURL == nil ? "off" : "on"),
                "gateway": .string("\(config.paymentGateway)"),
                "idle_timeout_s": .stringConvertible(config.httpIdleTimeoutSeconds),
                "metrics": .string(config.metricsToken == nil ? "loopback" : "token"),
            ])
    }

    func shutdownAsync(_ application: Application) async {
        application.logger.notice("boxoffice shutting down")
    }
}
