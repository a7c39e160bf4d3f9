import Foundation
import TestSupport
import Testing
import VaporTesting
@testable import BoxOffice

/// Builds the app through `configure` on a fresh database with a manual clock, boots it as `serve` does (`boot`),
/// runs the test, and shuts everything down even when the test throws.
func withTestApp(
    configure adjust: (inout AppConfig) -> Void = { _ in },
    services adjustServices: (inout AppServices) -> Void = { _ in },
    _ test: (TestApp) async throws -> Void
) async throws {
    let database = try await TestDatabase.make()
    do {
        try await withTestDatabase(database, configure: adjust, services: adjustServices, test)
    } catch {
        await database.drop()
        throw error
    }
    await database.drop()
}

/// Like `withTestApp`, on a database the caller made and drops.
func withTestDatabase(
    _ database: TestDatabase,
    configure adjust: (inout AppConfig) -> Void = { _ in },
    services adjustServices: (inout AppServices) -> Void = { _ in },
    _ test: (TestApp) async throws -> Void
) async throws {
    let clock = ManualClock(Date(timeIntervalSince1970: 1_795_000_000))  // 2026-11-18
    var config = AppConfig.testing(database: database.location)
    adjust(&config)
    let app = try await Application.make(.testing)
    app.logger.logLevel =
        ProcessInfo.processInfo.environment["LOG_LEVEL"].flatMap { Logger.Level(rawValue: $0) } ?? .error
    do {
        var services = AppServices(clock: clock)
        // Tests run a job's work by hand (the clock is theirs to move).
        services.runsJobs = false
        adjustServices(&services)
        try await configure(app, config: config, services: services)
        try await boot(app)
        try await test(TestApp(app: app, clock: clock, config: config))
    } catch {
        try? await app.asyncShutdown()
        throw error
    }
    try await app.asyncShutdown()
}

struct TestApp {
    let app: Application
    let clock: ManualClock
    let config: AppConfig

    struct Account {
        let id: UUID
        let email: String
        let password: String
        let accessToken: String
        let refreshToken: String

        var auth: HTTPHeaders { ["Authorization": "Bearer \(accessToken)"] }
    }

    /// Sends a request; `json` is encoded as the body (snake_case), `token` goes in `Authorization`.
    @discardableResult
    func request(
        _ method: HTTPMethod, _ path: String, json: (any Encodable & Sendable)? = nil, token: String? = nil,
        headers: HTTPHeaders = [:], rawBody: String? = nil, live: Bool = false
    ) async throws -> TestingHTTPResponse {
        var headers = headers
        if let token { headers.replaceOrAdd(name: .authorization, value: "Bearer \(token)") }
        var body: ByteBuffer?
        if let json {
            body = ByteBuffer(data: try JSONEncoder.api.encode(json))
            headers.replaceOrAdd(name: .contentType, value: "application/json")
        } else if let rawBody {
            body = ByteBuffer(string: rawBody)
            if headers.contentType == nil { headers.replaceOrAdd(name: .contentType, value: "application/json") }
        }
        let tester = try app.testing(method: live ? .running(hostname: "127.0.0.1", port: 0) : .inMemory)
        return try await tester.sendRequest(method, path, headers: headers, body: body)
    }

    static func signupBody(_ email: String, phone: String? = nil, password: String = "correct-horse") -> [String:
        String]
    {
        ["name": "Test User", "email": email, "phone": phone ?? Self.randomPhone(), "password": password]
    }

    static func randomPhone() -> String { "+91" + String(Int.random(in: 7_000_000_000...9_999_999_999)) }

    /// Signs up and logs in a customer.
    func customer(_ email: String = "user-\(UUID().uuidString.prefix(8).lowercased())@example.com") async throws
        -> Account
    {
        let signup = try await request(.POST, "/users/signup", json: Self.signupBody(email))
        #expect(signup.status == .created, "signup failed: \(signup.body.string)")
        return try await login(email, "correct-horse")
    }

    /// Creates an admin through the same bootstrap the CLI uses, and logs in.
    func admin(_ email: String = "admin-\(UUID().uuidString.prefix(8).lowercased())@example.com") async throws
        -> Account
    {
        _ = try await app.boxOffice.adminBootstrap.ensureAdmin(
            email: email, password: "admin-password", name: "Admin", on: app.db)
        return try await login(email, "admin-password")
    }

    func login(_ email: String, _ password: String) async throws -> Account {
        let response = try await request(.POST, "/users/login", json: ["email": email, "password": password])
        #expect(response.status == .ok, "login failed: \(response.body.string)")
        let tokens = try response.content.decode(TokenResponse.self)
        let me = try await request(.GET, "/users/me", token: tokens.accessToken).content.decode(UserResponse.self)
        return Account(
            id: me.id, email: email, password: password, accessToken: tokens.accessToken,
            refreshToken: tokens.refreshToken)
    }
}

extension TestingHTTPResponse {
    /// The problem-details body of an error response.
    var problem: ProblemDetails? {
        try? JSONDecoder.api.decode(ProblemDetails.self, from: Data(buffer: body))
    }
}

/// `Page` without Fluent's type of the same name in scope (for files that import Fluent).
typealias APIPage<Item: Content> = Page<Item>
