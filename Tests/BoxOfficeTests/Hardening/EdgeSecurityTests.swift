import Foundation
import Testing
import VaporTesting

@testable import BoxOffice

/// Issue 24, items 9–13: login throttling across addresses, promo-code enumeration, `/metrics` spellings, the
/// refresh cookie, and the headers and maintenance block of HTML pages and state-changing GETs.
@Suite("Hardening: login limits, enumeration, metrics, refresh cookie, headers")
struct EdgeSecurityTests {
    // MARK: 9. Login throttling

    /// 60 wrong passwords from 60 addresses of one /64, forwarded by a trusted proxy: one client, so the 11th is a 429
    /// (RATE_LIMIT_LOGIN, 10/60); another /64 is another client.
    @Test func wrongPasswordsFromOneIPv6SlashSixtyFourAreThrottledTogether() async throws {
        try await withTestApp(configure: { $0.trustedProxies = [IPNetwork("127.0.0.1")!] }) { t in
            _ = try await t.customer("six@example.com")
            t.clock.advance(by: 61)  // the signup's login is forgotten
            var statuses: [HTTPStatus] = []
            for i in 1...60 {
                let attempt = try await t.failedLogin(
                    "six@example.com", from: "127.0.0.1", forwardedFor: "2001:db8:7:1:\(String(i, radix: 16))::1")
                statuses.append(attempt.status)
            }
            #expect(statuses.prefix(10).allSatisfy { $0 == .unauthorized })
            #expect(statuses.dropFirst(10).allSatisfy { $0 == .tooManyRequests })
            let elsewhere = try await t.failedLogin(
                "six@example.com", from: "127.0.0.1", forwardedFor: "2001:db8:7:2::1")
            #expect(elsewhere.status == .unauthorized)
        }
    }

    @Test func anIPv6AddressIsCountedByItsSlashSixtyFour() {
        #expect(Throttle.counted("2001:db8:7:1:abcd:ef01:2345:6789") == "2001:db8:7:1::/64")
        #expect(Throttle.counted("2001:DB8:7:1::9") == "2001:db8:7:1::/64")
        #expect(Throttle.counted("::ffff:192.0.2.1") == "::ffff:192.0.2.1")  // an IPv4 client counts as itself
        #expect(Throttle.counted("192.0.2.1") == "192.0.2.1")
        #expect(Throttle.counted("asha@example.com") == "asha@example.com")
    }

    /// RATE_LIMIT_LOGIN_PER_ACCOUNT (default 20/900): failures from unrelated addresses add up per account; then even
    /// the right password is a 429 with Retry-After, until a token is back. Successful logins never count, and other
    /// accounts are untouched.
    @Test func failedLoginsPerAccountAcrossAddressesAre429UntilTheWindowAllows() async throws {
        try await withTestApp(configure: {
            $0.rateLimits[.loginPerAccount] = RateLimitScope.loginPerAccount.defaultLimit
        }) { t in
            #expect(t.config.rateLimits[.loginPerAccount] == RateLimit(20, per: 900))
            let asha = try await t.customer("asha.account@example.com")
            _ = try await t.customer("ravi.account@example.com")
            for i in 1...25 {
                let ok = try await t.request(
                    .POST, "/users/login", from: "198.51.100.\(i)",
                    json: ["email": asha.email, "password": "correct-horse"])
                #expect(ok.status == .ok)
            }
            for i in 1...20 {
                #expect(try await t.failedLogin(asha.email, from: "203.0.\(i).7").status == .unauthorized)
            }
            let blocked = try await t.request(
                .POST, "/users/login", from: "192.0.2.200", json: ["email": asha.email, "password": "correct-horse"])
            #expect(blocked.status == .tooManyRequests)
            #expect(blocked.problem?.code == "rate_limited")
            let wait = try #require(blocked.retryAfter)
            #expect((1...900).contains(wait))
            // Upper case and spaces are the same account.
            #expect(
                try await t.failedLogin(" ASHA.account@example.com", from: "192.0.2.201").status == .tooManyRequests)
            #expect(try await t.failedLogin("ravi.account@example.com", from: "192.0.2.202").status == .unauthorized)

            t.clock.advance(by: TimeInterval(wait))
            let back = try await t.request(
                .POST, "/users/login", from: "192.0.2.203", json: ["email": asha.email, "password": "correct-horse"])
            #expect(back.status == .ok)
            // And a whole window after the last failure the account has every attempt again.
            t.clock.advance(by: 900)
            for i in 1...20 {
                #expect(try await t.failedLogin(asha.email, from: "203.0.\(i).8").status == .unauthorized)
            }
        }
    }

    /// Through Redis the failures of one account add up on every instance, and the check before a login takes
    /// nothing (the `peek` script).
    @Test(.enabled(if: RedisTestServer.url != nil, "needs TEST_REDIS_URL"))
    func theAccountLimitIsSharedAcrossInstances() async throws {
        try await withTwoInstances(configure: {
            $0.rateLimits[.loginPerAccount] = RateLimit(3, per: 900)
        }) { a, b in
            let asha = try await a.customer()
            for _ in 0..<5 {
                let ok = try await b.request(
                    .POST, "/users/login", from: "198.51.100.1",
                    json: ["email": asha.email, "password": "correct-horse"])
                #expect(ok.status == .ok)
            }
            #expect(try await a.failedLogin(asha.email, from: "203.0.113.1").status == .unauthorized)
            #expect(try await b.failedLogin(asha.email, from: "203.0.113.2").status == .unauthorized)
            #expect(try await a.failedLogin(asha.email, from: "203.0.113.3").status == .unauthorized)
            let blocked = try await b.request(
                .POST, "/users/login", from: "192.0.2.9",
                json: ["email": asha.email, "password": "correct-horse"])
            #expect(blocked.status == .tooManyRequests)
            #expect(blocked.retryAfter.map { (1...300).contains($0) } == true)
        }
    }

    @Test func theAccountLimitIsConfigured() throws {
        let configured = try AppConfig.load(
            from: ["RATE_LIMIT_LOGIN_PER_ACCOUNT": "5/60"], environment: .development)
        #expect(configured.rateLimits[.loginPerAccount] == RateLimit(5, per: 60))
        #expect(
            try AppConfig.load(from: [:], environment: .development).rateLimits[.loginPerAccount].description
                == "20/900")
        #expect(throws: ConfigError.self) {
            _ = try AppConfig.load(from: ["RATE_LIMIT_LOGIN_PER_ACCOUNT": "20"], environment: .development)
        }
    }

    // MARK: 10. Promo-code enumeration

    /// A customer cannot tell a switched-off or not yet started code from one that does not exist; an admin can.
    @Test func unpublishedCodesAnswerCustomersLikeMissingOnes() async throws {
        try await withTestApp { t in
            let f = try await DiscountTests.fixture(t)
            let later = ISO8601DateFormatter().string(from: t.clock.now() + 3600)
            try await DiscountTests.create(t, f, DiscountTests.percentCode("HIDDEN", 10, ["is_active": false]))
            try await DiscountTests.create(
                t, f, DiscountTests.percentCode("NEXTWEEK", 10, ["starts_at": .string(later)]))
            let missing = try await DiscountTests.validate(t, f, "NOSUCH", subtotal: 1000)
            #expect(missing.status == .unprocessableEntity && missing.problem?.code == "invalid_code")
            for code in ["HIDDEN", "NEXTWEEK"] {
                let answer = try await DiscountTests.validate(t, f, code, subtotal: 1000)
                #expect(answer.status == missing.status, "\(code)")
                #expect(answer.problem?.code == "invalid_code" && answer.problem?.detail == missing.problem?.detail)
                #expect(answer.problem?.errors?.map(\.field) == ["code"])
            }
            #expect(
                try await DiscountTests.validate(t, f, "HIDDEN", subtotal: 1000, as: f.admin).problem?.code
                    == "inactive")
            #expect(
                try await DiscountTests.validate(t, f, "NEXTWEEK", subtotal: 1000, as: f.admin).problem?.code
                    == "not_started")
        }
    }

    // MARK: 11. /metrics

    /// One route and one rule for every spelling: refused to a remote peer, and to a remote client behind a trusted
    /// proxy on this machine; served to this machine.
    @Test func everySpellingOfMetricsIsRefusedToRemoteClients() async throws {
        try await withTestApp(configure: { $0.trustedProxies = [IPNetwork("127.0.0.1")!] }) { t in
            for path in ["/metrics", "/metrics/", "//metrics", "///metrics"] {
                #expect(try await t.request(.GET, path, from: "203.0.113.9").status == .forbidden, "\(path)")
                let proxied = try await t.request(.GET, path, from: "127.0.0.1", forwardedFor: "203.0.113.9")
                #expect(proxied.status == .forbidden, "\(path)")
                #expect(try await t.request(.GET, path, from: "127.0.0.1").status == .ok, "\(path)")
            }
        }
    }

    @Test func listeningBeyondLoopbackWithoutTokenOrProxiesIsWarnedAbout() throws {
        var config = AppConfig.testing(database: .sqlite(path: "/tmp/unused.sqlite"))
        #expect(StartupLog.metricsWarning(host: "0.0.0.0", config: config)?.contains("METRICS_TOKEN") == true)
        #expect(StartupLog.metricsWarning(host: "::", config: config) != nil)
        #expect(StartupLog.metricsWarning(host: "127.0.0.1", config: config) == nil)
        #expect(StartupLog.metricsWarning(host: "localhost", config: config) == nil)
        #expect(StartupLog.metricsWarning(host: "::1", config: config) == nil)
        #expect(StartupLog.metricsWarning(host: nil, config: config) == nil)
        config.trustedProxies = [IPNetwork("10.0.0.1")!]
        #expect(StartupLog.metricsWarning(host: "0.0.0.0", config: config) == nil)
        config.trustedProxies = []
        config.metricsToken = MetricsTests.token
        #expect(StartupLog.metricsWarning(host: "0.0.0.0", config: config) == nil)

        let configured = "127.0.0.1"
        #expect(StartupLog.listenHost(arguments: ["boxoffice", "serve"], configured: configured) == "127.0.0.1")
        #expect(
            StartupLog.listenHost(arguments: ["boxoffice", "serve", "-H", "0.0.0.0"], configured: configured)
                == "0.0.0.0")
        #expect(
            StartupLog.listenHost(arguments: ["serve", "--hostname=10.1.2.3"], configured: configured) == "10.1.2.3")
        #expect(
            StartupLog.listenHost(arguments: ["serve", "--bind", "0.0.0.0:8080"], configured: configured) == "0.0.0.0")
        #expect(StartupLog.listenHost(arguments: ["serve", "-b", "[::]:8080"], configured: configured) == "::")
        #expect(
            StartupLog.listenHost(arguments: ["serve", "--unix-socket", "/tmp/bx.sock"], configured: configured) == nil)
    }

    /// nginx blocks by prefix (`/metrics/` too), and `//metrics` where merge_slashes is off.
    @Test func nginxBlocksMetricsByPrefix() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent()
        let conf = try String(contentsOf: root.appendingPathComponent("deploy/nginx/boxoffice.conf"), encoding: .utf8)
        #expect(conf.contains("location ^~ /metrics {"))
        #expect(conf.contains(#"location ~ "^/{2,}metrics" {"#))
        #expect(!conf.contains("location = /metrics"))
    }

    // MARK: 12. The refresh cookie

    private static func setCookie(_ headers: HTTPHeaders) -> String? {
        headers[.setCookie].first { $0.hasPrefix("\(RefreshCookie.name)=") }
    }

    private static func cookieValue(_ header: String?) -> String? {
        header.flatMap { $0.split(separator: ";").first }.map { String($0.dropFirst(RefreshCookie.name.count + 1)) }
    }

    /// `"cookie": true`: the refresh token only in an HttpOnly, Secure, SameSite=Strict cookie for /users/refresh.
    @Test func aBrowserLoginGetsTheRefreshTokenAsAnHttpOnlyCookieOnly() async throws {
        try await withTestApp { t in
            _ = try await t.customer("cookie@example.com")
            let json = try await t.request(
                .POST, "/users/login", json: ["email": "cookie@example.com", "password": "correct-horse"])
            #expect(json.body.string.contains("\"refresh_token\"") && Self.setCookie(json.headers) == nil)

            let browser = try await t.request(
                .POST, "/users/login",
                json: [
                    "email": AnyJSON.string("cookie@example.com"), "password": .string("correct-horse"),
                    "cookie": .bool(true),
                ])
            #expect(browser.status == .ok)
            #expect(!browser.body.string.contains("refresh_token"))
            let tokens = try JSONDecoder.api.decode(CookieTokenResponse.self, from: Data(buffer: browser.body))
            #expect(try await t.request(.GET, "/users/me", token: tokens.accessToken).status == .ok)
            let cookie = try #require(Self.setCookie(browser.headers))
            for attribute in ["HttpOnly", "Secure", "SameSite=Strict", "Path=/users/refresh", "Max-Age=604800"] {
                #expect(cookie.contains(attribute), "\(attribute) missing from \(cookie)")
            }
        }
    }

    /// The refresh route takes the cookie when no body token is sent, rotates it in the cookie, and a reused cookie
    /// is refused (and cleared); logout revokes the session and clears the cookie on its own path.
    @Test func refreshTakesTheCookieAndLogoutClearsIt() async throws {
        try await withTestApp { t in
            _ = try await t.customer("jar@example.com")
            let login = try await t.request(
                .POST, "/users/login",
                json: [
                    "email": AnyJSON.string("jar@example.com"), "password": .string("correct-horse"),
                    "cookie": .bool(true),
                ])
            let first = try #require(Self.cookieValue(Self.setCookie(login.headers)))

            let rotated = try await t.request(.POST, "/users/refresh", headers: ["Cookie": "bx_refresh=\(first)"])
            #expect(rotated.status == .ok, "\(rotated.body.string)")
            #expect(!rotated.body.string.contains("refresh_token"))
            let second = try #require(Self.cookieValue(Self.setCookie(rotated.headers)))
            #expect(second != first && !second.isEmpty)
            let access = try JSONDecoder.api.decode(CookieTokenResponse.self, from: Data(buffer: rotated.body))
                .accessToken

            // With an empty JSON body too (what the web client sends).
            let third = try await t.request(
                .POST, "/users/refresh", headers: ["Cookie": "bx_refresh=\(second)"], rawBody: "{}")
            #expect(third.status == .ok)
            let latest = try #require(Self.cookieValue(Self.setCookie(third.headers)))
            let newAccess = try JSONDecoder.api.decode(CookieTokenResponse.self, from: Data(buffer: third.body))
                .accessToken

            let none = try await t.request(.POST, "/users/refresh")
            #expect(none.status == .unauthorized)

            let logout = try await t.request(.POST, "/users/logout", token: newAccess)
            #expect(logout.status == .noContent)
            let cleared = try #require(Self.setCookie(logout.headers))
            #expect(cleared.hasPrefix("bx_refresh=;") && cleared.contains("Max-Age=0"))
            #expect(cleared.contains("Path=/users/refresh"))
            let afterLogout = try await t.request(.POST, "/users/refresh", headers: ["Cookie": "bx_refresh=\(latest)"])
            #expect(afterLogout.status == .unauthorized)
            #expect(Self.setCookie(afterLogout.headers)?.contains("Max-Age=0") == true)
            #expect(try await t.request(.GET, "/users/me", token: access).status == .unauthorized)
        }
    }

    @Test func theLoginCookieFieldIsDocumented() async throws {
        try await withTestApp { t in
            let document = try await t.request(.GET, "/openapi.json").body.string
            #expect(document.contains("bx_refresh"))
            #expect(document.contains("\"cookie\""))
        }
    }

    // MARK: 13. Headers and state-changing GETs

    /// `/docs` and the web client's pages carry a CSP with frame-ancestors 'none' and X-Frame-Options; the client's
    /// allows images and connections from this origin only.
    @Test func everyHTMLPageHasACSPAndCannotBeFramed() async throws {
        try await withTestApp { t in
            let docs = try await t.request(.GET, "/docs")
            #expect(docs.status == .ok)
            let policy = try #require(docs.headers.first(name: "Content-Security-Policy"))
            #expect(policy.contains("frame-ancestors 'none'") && policy.contains("script-src 'self'"))
            #expect(docs.headers.first(name: "X-Frame-Options") == "DENY")
            #expect(!docs.body.string.contains("<script>"), "an inline script the CSP would block")

            for page in ["/", "/admin"] {
                let response = try await t.request(.GET, page)
                guard response.status == .ok else { continue }  // no Public/ in this checkout
                let csp = try #require(response.headers.first(name: "Content-Security-Policy"))
                #expect(csp.contains("frame-ancestors 'none'") && csp.contains("connect-src 'self';"))
                #expect(!csp.contains("https:") && !csp.contains("ws:") && !csp.contains("wss:"))
                #expect(response.headers.first(name: "X-Frame-Options") == "DENY")
            }
            #expect(try await t.request(.GET, "/openapi.json").headers.first(name: "X-Frame-Options") == nil)
        }
    }

    /// `GET /notifications/mark_all_read/{user_id}` writes, so a restore's maintenance block refuses it.
    @Test func theMarkAllReadGetIsBlockedDuringMaintenance() async throws {
        try await withTestApp { t in
            let asha = try await t.customer()
            let maintenance = t.app.boxOffice.maintenance
            #expect(maintenance.begin())
            let refused = try await t.request(.GET, "/notifications/mark_all_read/\(asha.id)", token: asha.accessToken)
            #expect(refused.status == .serviceUnavailable)
            #expect(refused.problem?.code == "maintenance")
            #expect(refused.headers.first(name: .retryAfter) == "30")
            #expect(try await t.request(.GET, "/notifications", token: asha.accessToken).status == .ok)
            maintenance.end()
            let allowed = try await t.request(.GET, "/notifications/mark_all_read/\(asha.id)", token: asha.accessToken)
            #expect(allowed.status == .ok)
        }
    }
}
