import Foundation
import Testing
import VaporTesting
@testable import BoxOffice

@Suite("First admin")
struct AdminBootstrapTests {
    @Test func createAdminCommandIsIdempotent() async throws {
        let database = try await TestDatabase.make()
        for _ in 0..<2 {
            let environment = Environment(
                name: "testing",
                arguments: [
                    "boxoffice", "create-admin", "--email", "Boss@Example.com", "--password", "boss-password", "--name",
                    "Boss",
                ])
            let app = try await Application.make(environment)
            do {
                try await configure(
                    app, config: .testing(database: database.location), services: AppServices(clock: SystemClock()))
                try await app.execute()
            } catch {
                try? await app.asyncShutdown()
                throw error
            }
            try await app.asyncShutdown()
        }
        try await withTestDatabase(database) { t in
            let admins = try await User.query(on: t.app.db).all()
            #expect(admins.count == 1)
            #expect(admins.first?.role == .admin)
            #expect(admins.first?.email == "boss@example.com")
            let account = try await t.login("boss@example.com", "boss-password")
            #expect(try await t.request(.GET, "/users", token: account.accessToken).status == .ok)
        }
        await database.drop()
    }

    @Test func environmentAdminIsCreatedOnceAndExistingUsersArePromoted() async throws {
        try await withTestApp(configure: {
            $0.bootstrapAdmin = .init(email: "ops@example.com", password: "ops-password", name: "Ops")
        }) { t in
            try await prepareToServe(t.app)
            try await prepareToServe(t.app)
            #expect(try await User.query(on: t.app.db).count() == 1)
            let outcome = try await t.app.boxOffice.adminBootstrap.ensureAdmin(
                email: "ops@example.com", password: "another-password", name: "Ops", on: t.app.db)
            #expect(outcome == .unchanged)
            _ = try await t.login("ops@example.com", "ops-password")

            let user = try await t.customer("promote-me@example.com")
            let promoted = try await t.app.boxOffice.adminBootstrap.ensureAdmin(
                email: "promote-me@example.com", password: "whatever-1", name: "X", on: t.app.db)
            #expect(promoted == .promoted)
            #expect(try await t.request(.GET, "/users", token: user.accessToken).status == .unauthorized)
            let admin = try await t.login("promote-me@example.com", "whatever-1")
            #expect(try await t.request(.GET, "/users", token: admin.accessToken).status == .ok)
        }
    }

    /// Reported: whoever signed up first with the operator's email became admin with their own password.
    @Test func promotingASelfRegisteredAccountResetsItsPasswordAndEndsItsSessions() async throws {
        try await withTestApp { t in
            let squatter = try await t.customer("boss@example.com")
            let outcome = try await t.app.boxOffice.adminBootstrap.ensureAdmin(
                email: "boss@example.com", password: "operator-secret", name: "Boss", on: t.app.db)
            #expect(outcome == .promoted)
            let stale = try await t.request(.GET, "/users", token: squatter.accessToken)
            #expect(stale.status == .unauthorized)
            #expect(stale.problem?.code == "session_revoked")
            let refresh = try await t.request(.POST, "/users/refresh", json: ["refresh_token": squatter.refreshToken])
            #expect(refresh.status == .unauthorized)
            let oldPassword = try await t.request(
                .POST, "/users/login",
                json: ["email": "boss@example.com", "password": squatter.password])
            #expect(oldPassword.status == .unauthorized)
            let admin = try await t.login("boss@example.com", "operator-secret")
            #expect(try await t.request(.GET, "/users", token: admin.accessToken).status == .ok)
        }
    }
}
