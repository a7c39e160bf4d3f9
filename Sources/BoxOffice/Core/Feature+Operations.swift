import Vapor

extension Feature {
    /// Health and readiness, the OpenAPI document, Prometheus metrics; and the outbox relay and the purge of old
    /// idempotency records and delivered messages.
    static func operations(_ box: BoxOffice) -> Feature {
        var checks: [any ReadinessCheck] = [DatabaseReadiness()]
        if let redis = box.redis { checks.append(RedisReadiness(redis: redis)) }
        let (outbox, idempotency) = (box.outbox, box.idempotency)
        return Feature(
            name: "operations",
            routes: [
                HealthController(checks: checks), DocsController(),
                MetricsController(
                    metrics: box.metrics, token: box.config.metricsToken, holds: box.holds, hub: box.live.hub),
            ],
            jobs: [
                box.job("outbox", every: .seconds(1), jitter: .milliseconds(200)) { db in
                    try await outbox.deliverDue(on: db)
                },
                box.job("purge", every: .seconds(600), jitter: .seconds(30)) { db in
                    try await idempotency.purge(on: db)
                    try await outbox.purge(on: db)
                },
            ])
    }
}
