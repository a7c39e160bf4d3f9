import Foundation
import NIOCore
import Testing
import VaporTesting
@testable import BoxOffice

/// Found by `reliability/run --db postgres pg-frozen`: with PostgreSQL frozen (SIGSTOP) a request already waiting on
/// a query never answered until it thawed, and with a short HTTP idle timeout the connection was cut with no answer.
@Suite("Request deadline: every request is answered in time")
struct RequestDeadlineTests {
    /// Waits on a future that completes only after `delay`, as a query on a frozen database does; cancelling the task
    /// does not end the wait.
    struct Frozen: AsyncResponder {
        let delay: TimeAmount
        func respond(to request: Request) async throws -> Response {
            try await request.eventLoop.scheduleTask(in: delay) { Response(status: .ok) }.futureResult.get()
        }
    }

    @Test func aHandlerStuckOnAFrozenDependencyIsAnswered503WithinTheLimit() async throws {
        try await withTestApp { t in
            let deadline = RequestDeadlineMiddleware(limit: .milliseconds(500), metrics: t.app.boxOffice.metrics)
            let request = Request(application: t.app, method: .GET, url: "/movies", on: t.app.eventLoopGroup.next())
            let started = ContinuousClock.now
            let error = await #expect(throws: APIError.self) {
                try await deadline.respond(to: request, chainingTo: Frozen(delay: .seconds(5)))
            }
            #expect(ContinuousClock.now - started < .seconds(4))  // the frozen call itself takes 5 s
            #expect(error?.status == .serviceUnavailable && error?.code == "request_timeout")
            #expect(error?.headers.first(name: .retryAfter) == "2")
        }
    }

    @Test func aPromptAnswerAndALongByDesignRoutePassThrough() async throws {
        try await withTestApp { t in
            // Generous: the whole suite runs in parallel on two cores, and a prompt answer may wait for a core.
            let deadline = RequestDeadlineMiddleware(limit: .seconds(5), metrics: t.app.boxOffice.metrics)
            let loop = t.app.eventLoopGroup.next()
            let prompt = try await deadline.respond(
                to: Request(application: t.app, method: .GET, url: "/movies", on: loop),
                chainingTo: Frozen(delay: .milliseconds(10)))
            #expect(prompt.status == .ok)
            // A route marked `withoutDeadline()` may take longer: the restore route as the router finds it.
            let restore = Request(application: t.app, method: .POST, url: "/restore", on: loop)
            restore.route = t.app.routes.all.first { $0.method == .POST && $0.path.string == "restore" }
            #expect(restore.route != nil)
            let restored = try await deadline.respond(to: restore, chainingTo: Frozen(delay: .milliseconds(6000)))
            #expect(restored.status == .ok)
        }
    }

    @Test func theLimitStaysUnderTheIdleTimeout() {
        #expect(RequestDeadlineMiddleware.limit(requestTimeoutSeconds: 10, idleTimeoutSeconds: 60) == .seconds(10))
        #expect(RequestDeadlineMiddleware.limit(requestTimeoutSeconds: 15, idleTimeoutSeconds: 3) == .seconds(2))
        #expect(RequestDeadlineMiddleware.limit(requestTimeoutSeconds: 15, idleTimeoutSeconds: 1) == .seconds(1))
        #expect(RequestDeadlineMiddleware.limit(requestTimeoutSeconds: 10, idleTimeoutSeconds: 0) == .seconds(10))
    }

    /// Exactly the routes that are long by design, and liveness, go without a deadline.
    @Test func onlyTheLongByDesignRoutesAndLivenessGoWithoutADeadline() async throws {
        try await withTestApp { t in
            let exempt = Set(
                t.app.routes.all.filter { $0.userInfo[RequestDeadlineMiddleware.exemptKey] != nil }
                    .map { "\($0.method.rawValue) /\($0.path.string)" })
            #expect(
                exempt == [
                    "GET /health", "GET /ws", "POST /movies/:id/poster", "POST /backup", "GET /backup/:id/download",
                    "POST /restore",
                ])
        }
    }

    @Test func requestTimeoutIsConfigurableWithinBounds() throws {
        #expect(try AppConfig.load(from: [:], environment: .development).requestTimeoutSeconds == 10)
        #expect(
            try AppConfig.load(from: ["REQUEST_TIMEOUT_SECONDS": "30"], environment: .development)
                .requestTimeoutSeconds == 30)
        #expect(throws: ConfigError.self) {
            _ = try AppConfig.load(from: ["REQUEST_TIMEOUT_SECONDS": "0"], environment: .development)
        }
    }
}
