import NIOConcurrencyHelpers
import NIOCore
import Vapor

/// Every request gets an answer in time. A handler still running after `limit` (a database that froze mid-query
/// never answers, and the pool's own 10-second timeout only covers waiting for a connection) is answered
/// 503 `request_timeout` with `Retry-After`; the handler's late result is dropped (a write it still makes is kept,
/// and a retry with the same `Idempotency-Key` gets its answer). The limit stays under the HTTP idle timeout, which
/// would otherwise close the connection with no answer at all. Found by the reliability suite (`pg-frozen`).
struct RequestDeadlineMiddleware: AsyncMiddleware {
    let limit: TimeAmount
    let metrics: any AppMetrics

    /// `REQUEST_TIMEOUT_SECONDS`, and a second less than a non-zero idle timeout (at least one second).
    static func limit(requestTimeoutSeconds: Int, idleTimeoutSeconds: Int) -> TimeAmount {
        var seconds = requestTimeoutSeconds
        if idleTimeoutSeconds > 0 { seconds = min(seconds, idleTimeoutSeconds - 1) }
        return .seconds(Int64(max(1, seconds)))
    }

    /// Set in a route's `userInfo` by `withoutDeadline()`.
    static let exemptKey = "boxoffice.no-deadline"

    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        if request.route?.userInfo[Self.exemptKey] != nil {
            return try await next.respond(to: request)
        }
        let answer = request.eventLoop.makePromise(of: Response.self)
        let answered = NIOLockedValueBox(false)
        @Sendable func settle(_ result: Result<Response, any Error>) {
            let first = answered.withLockedValue { done in
                defer { done = true }
                return !done
            }
            if first { answer.completeWith(result) }
        }
        let work = Task {
            do { settle(.success(try await next.respond(to: request))) } catch { settle(.failure(error)) }
        }
        let limit = self.limit
        let metrics = self.metrics
        let timer = request.eventLoop.scheduleTask(in: limit) {
            metrics.increment("http_request_deadline_exceeded_total")
            request.logger.warning(
                "request deadline exceeded", metadata: ["limit_s": "\(limit.nanoseconds / 1_000_000_000)"])
            settle(
                .failure(
                    APIError(
                        .serviceUnavailable, code: .requestTimeout,
                        detail: "The server could not answer in time (a service it needs is slow); try again shortly.",
                        headers: ["Retry-After": "2"])))
            work.cancel()
        }
        defer { timer.cancel() }
        return try await answer.futureResult.get()
    }
}

extension Route {
    /// Leaves the route out of `RequestDeadlineMiddleware`: for what is long by design (the WebSocket, which lives on
    /// after its upgrade; poster uploads over slow links; backups and restores, which run as one request) and for
    /// `/health`, answered from memory (a liveness probe that said "unavailable" because the machine is busy would get
    /// a healthy server restarted).
    @discardableResult
    func withoutDeadline() -> Route {
        userInfo[RequestDeadlineMiddleware.exemptKey] = true
        return self
    }
}
