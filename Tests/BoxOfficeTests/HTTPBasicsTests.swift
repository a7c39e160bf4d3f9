import Foundation
import SQLKit
import Testing
import VaporTesting
@testable import BoxOffice

@Suite("HTTP basics: problem details, request ids, limits, health")
struct HTTPBasicsTests {
    @Test func unknownRouteIs404ProblemDetails() async throws {
        try await withTestApp { t in
            let response = try await t.request(.GET, "/no/such/route")
            #expect(response.status == .notFound)
            #expect(response.headers.contentType?.description.hasPrefix("application/problem+json") == true)
            let problem = try #require(response.problem)
            #expect(problem.status == 404)
            #expect(problem.code == "not_found")
            #expect(problem.type == "urn:boxoffice:problem:not_found")
            #expect(problem.requestId == response.headers.first(name: .xRequestId))
        }
    }

    @Test func wrongMethodIs405WithAllow() async throws {
        try await withTestApp { t in
            let response = try await t.request(.PUT, "/users/me/password")
            #expect(response.status == .methodNotAllowed)
            #expect(response.headers.first(name: .allow) == "POST")
            let health = try await t.request(.DELETE, "/health")
            #expect(health.status == .methodNotAllowed)
            #expect(health.headers.first(name: .allow) == "GET")
            #expect(response.problem?.code == "method_not_allowed")
        }
    }

    @Test func malformedJSONIs400() async throws {
        try await withTestApp { t in
            let response = try await t.request(.POST, "/users/login", rawBody: "{\"email\": ")
            #expect(response.status == .badRequest)
            #expect(response.problem?.code == "malformed_body")
            let wrongType = try await t.request(.POST, "/users/login", rawBody: #"{"email": 42, "password": "x"}"#)
            #expect(wrongType.status == .badRequest)
        }
    }

    @Test func oversizeBodyIs413() async throws {
        try await withTestApp(configure: { $0.maxBodyBytes = 4096 }) { t in
            let big = String(repeating: "a", count: 10_000)
            let response = try await t.request(
                .POST, "/users/signup",
                json: TestApp.signupBody("big@example.com").merging(["name": big]) { $1 }, live: true)
            #expect(response.status == .payloadTooLarge)
            #expect(response.problem?.code == "payload_too_large")
            #expect(try await User.query(on: t.app.db).count() == 0)
        }
    }

    @Test func requestIDIsEchoedWhenSaneAndReplacedOtherwise() async throws {
        try await withTestApp { t in
            let echoed = try await t.request(.GET, "/health", headers: ["X-Request-ID": "abc-123.trace"])
            #expect(echoed.headers.first(name: .xRequestId) == "abc-123.trace")
            let replaced = try await t.request(.GET, "/health", headers: ["X-Request-ID": "bad id\u{7f}<script>"])
            let id = try #require(replaced.headers.first(name: .xRequestId))
            #expect(RequestIDMiddleware.sanitized(id) == id && !id.contains("script"))
            let generated = try await t.request(.GET, "/nope")
            let other = try #require(generated.headers.first(name: .xRequestId))
            #expect(other != id && RequestIDMiddleware.sanitized(other) == other)
        }
    }

    @Test func trailingSlashReachesTheSameRoute() async throws {
        try await withTestApp { t in
            #expect(try await t.request(.GET, "/health/").status == .ok)
            let signup = try await t.request(.POST, "/users/signup/", json: TestApp.signupBody("slash@example.com"))
            #expect(signup.status == .created)
        }
    }

    @Test func healthAndReady() async throws {
        try await withTestApp { t in
            let health = try await t.request(.GET, "/health")
            #expect(health.status == .ok)
            let ready = try await t.request(.GET, "/ready")
            #expect(ready.status == .ok)
            #expect(try ready.content.decode(HealthResponse.self).checks?["database"] == "ok")
        }
    }

    @Test func readyIs503WhenConfiguredRedisIsDown() async throws {
        // Nothing listens on port 1 of loopback.
        try await withTestApp(configure: { $0.redisURL = RedisURL("redis://127.0.0.1:1/0") }) { t in
            let ready = try await t.request(.GET, "/ready")
            #expect(ready.status == .serviceUnavailable)
            #expect(try ready.content.decode(HealthResponse.self).checks?["redis"] == "unavailable")
        }
    }

    @Test(.enabled(if: RedisTestServer.url != nil, "needs TEST_REDIS_URL"))
    func readyChecksARealRedisWhenOneIsGiven() async throws {
        let redis = try #require(RedisTestServer.url.flatMap { RedisURL($0) })
        try await withTestApp(configure: { $0.redisURL = redis }) { t in
            // The Redis client gives up on a connect after 250 ms and a reply after 500 ms (503 meanwhile), which a
            // CI machine running every suite at once can exceed: readiness must come, not on the first try.
            var ready = try await t.request(.GET, "/ready")
            for _ in 0..<20 where ready.status != .ok {
                try await Task.sleep(for: .milliseconds(250))
                ready = try await t.request(.GET, "/ready")
            }
            #expect(ready.status == .ok)
            #expect(try ready.content.decode(HealthResponse.self).checks?["redis"] == "ok")
        }
    }

    @Test func untrustedHostIsRefused() async throws {
        try await withTestApp(configure: { $0.trustedHosts = ["cinema.example", "*.cinema.example"] }) { t in
            let refused = try await t.request(.GET, "/health", headers: ["Host": "evil.example"])
            #expect(refused.status == .badRequest)
            #expect(refused.problem?.code == "untrusted_host")
            #expect(try await t.request(.GET, "/health", headers: ["Host": "cinema.example:8080"]).status == .ok)
            #expect(try await t.request(.GET, "/health", headers: ["Host": "api.cinema.example"]).status == .ok)
        }
    }

    @Test func corsAllowsOnlyConfiguredOrigins() async throws {
        try await withTestApp(configure: { $0.corsAllowedOrigins = .list(["https://tickets.example"]) }) { t in
            let preflight = try await t.request(
                .OPTIONS, "/users/login",
                headers: [
                    "Origin": "https://tickets.example", "Access-Control-Request-Method": "POST",
                ])
            #expect(preflight.headers.first(name: .accessControlAllowOrigin) == "https://tickets.example")
            let other = try await t.request(.GET, "/health", headers: ["Origin": "https://evil.example"])
            #expect(other.headers.first(name: .accessControlAllowOrigin) != "https://evil.example")
        }
    }

    @Test func docsPageWorksWithoutNetwork() async throws {
        try await withTestApp { t in
            let page = try await t.request(.GET, "/docs")
            #expect(page.status == .ok)
            #expect(!page.body.string.contains("http://") && !page.body.string.contains("https://"))
            #expect(page.body.string.contains("/docs/swagger-ui-bundle.js"))
            let bundle = try await t.request(.GET, "/docs/swagger-ui-bundle.js")
            #expect(bundle.status == .ok)
            #expect(bundle.body.readableBytes > 100_000)
            #expect(try await t.request(.GET, "/docs/swagger-ui.css").status == .ok)
        }
    }
}

@Suite("Test setup")
struct TestSetupTests {
    /// With `TEST_DATABASE_URL` set the suites must really talk to PostgreSQL, not fall back to SQLite.
    @Test func suitesRunOnTheConfiguredDatabase() async throws {
        try await withTestApp { t in
            let sql = try #require(t.app.db as? any SQLDatabase)
            #expect(sql.dialect.name == (TestDatabase.isPostgres ? "postgresql" : "sqlite"))
        }
    }
}
