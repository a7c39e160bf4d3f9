import Crypto
import NIOCore
import Vapor

/// `GET /metrics`: the Prometheus text exposition. With `METRICS_TOKEN` set, only a scraper presenting it as a bearer
/// token may read it (from anywhere); without it, only clients on this machine (loopback) may, so nothing leaks when
/// the port is public by mistake.
struct MetricsController: RouteCollection {
    let metrics: any AppMetrics
    let token: String?
    let holds: HoldService
    let hub: SocketHub

    func boot(routes: any RoutesBuilder) throws {
        let ops = APIRoutes(builder: routes, access: .public, tag: "Operations")
        ops.on(
            .GET, "metrics",
            summary: "Prometheus metrics (text format): bearer METRICS_TOKEN, or loopback when it is not set",
            errors: [.unauthorized, .forbidden, .serviceUnavailable], use: scrape
        ).outsideTheLine()
    }

    @Sendable func scrape(req: Request) async throws -> Response {
        try authorize(req)
        guard let prometheus = metrics as? PrometheusMetrics else {
            throw APIError.serviceUnavailable("This app keeps its metrics in memory only.")
        }
        // Gauges read at scrape time, so they are exact whenever someone looks.
        metrics.gauge("websocket_connections", Double(await hub.count))
        try? await holds.recordActiveHolds()
        var headers = HTTPHeaders()
        headers.replaceOrAdd(name: .contentType, value: "text/plain; version=0.0.4; charset=utf-8")
        return Response(status: .ok, headers: headers, body: .init(data: Data(prometheus.exposition())))
    }

    private func authorize(_ req: Request) throws {
        if let token {
            guard let presented = req.headers.bearerAuthorization?.token,
                Self.constantTimeEqual(presented, token)
            else { throw APIError.unauthorized(.authenticationRequired, "Send the metrics token as a bearer token.") }
            return
        }
        // The client as `TRUSTED_PROXIES` resolves it (not Vapor's `peerAddress`, which believes `X-Forwarded-For` from
        // anyone): behind a proxy on this machine every peer is loopback, but the client it forwards may not be.
        guard Self.isLoopback(ip: req.clientAddress) else {
            throw APIError.forbidden(
                .forbidden, "Metrics are served to this machine only; set METRICS_TOKEN to scrape remotely.")
        }
    }

    static func isLoopback(ip: String) -> Bool {
        ip == "::1" || ip.hasPrefix("127.") || ip.hasPrefix("::ffff:127.")
    }

    /// Compares digests, so the time taken says nothing about how much of the token was right.
    static func constantTimeEqual(_ a: String, _ b: String) -> Bool {
        let left = SHA256.hash(data: Data(a.utf8)), right = SHA256.hash(data: Data(b.utf8))
        return zip(left, right).reduce(UInt8(0)) { $0 | ($1.0 ^ $1.1) } == 0
    }
}
