import NIOConcurrencyHelpers
import Vapor

/// Gives every request an id (the client's `X-Request-ID` when it is sane), echoes it on the response,
/// tags the request's logger with it, counts and times the request (`http_requests_total`,
/// `http_request_duration_seconds`, by route pattern, method and status) and logs one access line per request:
/// request id, user id, method, route pattern (never the raw path with its ids and query), status and latency;
/// never bodies, tokens or passwords. The access line is only put together when the log level lets it through.
struct RequestIDMiddleware: AsyncMiddleware {
    let metrics: any AppMetrics

    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        let requestID = Self.sanitized(request.headers.first(name: .xRequestId)) ?? Self.newID()
        request.storage[RequestIDKey.self] = requestID
        request.logger[metadataKey: "request-id"] = .string(requestID)
        let started = ContinuousClock.now
        let response: Response
        do {
            response = try await next.respond(to: request)
        } catch {
            // Only what no middleware turned into a response (the problem-details middleware normally does).
            observe(request, status: APIError.from(error)?.status ?? .internalServerError, since: started)
            throw error
        }
        response.headers.replaceOrAdd(name: .xRequestId, value: requestID)
        observe(request, status: response.status, since: started)
        return response
    }

    private func observe(_ request: Request, status: HTTPResponseStatus, since started: ContinuousClock.Instant) {
        let elapsed = ContinuousClock.now - started
        let route = Self.routePattern(request)
        metrics.increment(
            "http_requests_total", by: 1,
            labels: ["method": request.method.rawValue, "route": route, "status": String(status.code)])
        metrics.observe(
            "http_request_duration_seconds", seconds: elapsed.seconds,
            labels: ["method": request.method.rawValue, "route": route])
        guard request.logger.logLevel <= .info else { return }
        var metadata: Logger.Metadata = [
            "method": .string(request.method.rawValue),
            "route": .string(route),
            "status": .stringConvertible(status.code),
            "latency_ms": .string(Self.milliseconds(elapsed)),
        ]
        if let userID = request.storage[AuthenticatedUserIDKey.self] {
            metadata["user-id"] = .string(userID.uuidString)
        }
        request.logger.info("request", metadata: metadata)
    }

    /// `/shows/:id/availability`: the matched route, so metrics and logs group by route and carry no ids; a request
    /// no route matched is `unmatched` (its path is whatever a client typed).
    static func routePattern(_ request: Request) -> String {
        guard let route = request.route else { return "unmatched" }
        return "/" + route.path.map(\.description).joined(separator: "/")
    }

    /// `12.34`: two decimals without `String(format:)`.
    static func milliseconds(_ duration: Duration) -> String {
        let hundredths = max(
            0, Int(duration.components.seconds) * 100_000 + Int(duration.components.attoseconds / 10_000_000_000_000))
        let fraction = hundredths % 100
        return "\(hundredths / 100).\(fraction < 10 ? "0" : "")\(fraction)"
    }

    /// This process's random prefix and a counter (`3f9a1c2e-1b`): unique per instance and start, and cheaper than a
    /// random UUID per request.
    static func newID() -> String {
        let number = counter.withLockedValue { value in
            value &+= 1
            return value
        }
        return prefix + String(number, radix: 16)
    }

    private static let prefix = String(UInt32.random(in: .min ... .max), radix: 16) + "-"
    private static let counter = NIOLockedValueBox<UInt64>(0)

    /// Up to 128 characters of letters, digits, `-`, `_`, `.` and `:`; anything else is replaced.
    static func sanitized(_ raw: String?) -> String? {
        guard let raw, !raw.isEmpty, raw.count <= 128,
            raw.unicodeScalars.allSatisfy({
                $0.isASCII && (CharacterSet.alphanumerics.contains($0) || "-_.:".unicodeScalars.contains($0))
            })
        else { return nil }
        return raw
    }
}

enum RequestIDKey: StorageKey { typealias Value = String }
enum AuthenticatedUserIDKey: StorageKey { typealias Value = UUID }

enum RequestPathKey: StorageKey { typealias Value = String }

extension Request {
    /// The id this request is known by in logs, problem details and the `X-Request-ID` header.
    var requestID: String { storage[RequestIDKey.self] ?? id }

    /// `url.path`, worked out once per request (Vapor's `URI` rebuilds it on every read).
    var pathOnce: String {
        if let path = storage[RequestPathKey.self] { return path }
        let path = url.path
        storage[RequestPathKey.self] = path
        return path
    }
}
