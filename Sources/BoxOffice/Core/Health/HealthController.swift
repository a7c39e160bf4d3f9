import NIOConcurrencyHelpers
import Vapor

struct HealthResponse: Content {
    var status: String
    var checks: [String: String]?
}

/// `/health` says the process is alive; `/ready` says it can serve (database, and Redis when configured).
struct HealthController: RouteCollection {
    let checks: [any ReadinessCheck]
    /// How long one check may take before it counts as unavailable (a frozen database never answers).
    static let checkDeadline: Duration = .seconds(5)

    func boot(routes: any RoutesBuilder) throws {
        let ops = APIRoutes(builder: routes, access: .public, tag: "Operations")
        ops.on(.GET, "health", summary: "Liveness", response: .of(HealthResponse.self), use: health).withoutDeadline()
        ops.on(
            .GET, "ready", summary: "Readiness: database and Redis reachable", response: .of(HealthResponse.self),
            errors: [.serviceUnavailable], use: ready
        ).outsideTheLine()
    }

    /// The same few bytes every time, encoded once.
    private static let healthy = ByteBuffer(string: #"{"status":"ok"}"#)

    @Sendable func health(req: Request) async throws -> Response {
        var headers = HTTPHeaders()
        headers.contentType = .json
        return Response(status: .ok, headers: headers, body: .init(buffer: Self.healthy))
    }

    @Sendable func ready(req: Request) async throws -> Response {
        var results: [String: String] = [:]
        var healthy = true
        for check in checks {
            do {
                try await withDeadline(Self.checkDeadline) { try await check.check(req) }
                results[check.name] = "ok"
            } catch {
                req.logger.warning(
                    "readiness check failed", metadata: ["check": .string(check.name), "error": "\(error)"])
                results[check.name] = "unavailable"
                healthy = false
            }
        }
        let response = try await HealthResponse(status: healthy ? "ok" : "unavailable", checks: results)
            .encodeResponse(for: req)
        response.status = healthy ? .ok : .serviceUnavailable
        return response
    }
}

struct DeadlineExceeded: Error {}

/// Runs `work`, but answers by `timeout` whatever happens: a frozen database must not make `/ready` hang.
/// The work goes on in the background until it ends by itself (a frozen server's query cannot be cancelled).
func withDeadline<T: Sendable>(_ timeout: Duration, _ work: @escaping @Sendable () async throws -> T) async throws -> T
{
    let outcome = NIOLockedValueBox<CheckedContinuation<T, any Error>?>(nil)
    return try await withCheckedThrowingContinuation { continuation in
        outcome.withLockedValue { $0 = continuation }
        @Sendable func finish(_ result: Result<T, any Error>) {
            outcome.withLockedValue { pending in
                pending?.resume(with: result)
                pending = nil
            }
        }
        Task {
            do { finish(.success(try await work())) } catch { finish(.failure(error)) }
        }
        Task {
            try? await Task.sleep(for: timeout)
            finish(.failure(DeadlineExceeded()))
        }
    }
}
