import Foundation
import SQLKit
import Testing
import VaporTesting
@testable import BoxOffice

@Suite("Audit trail: GET /audit-logs and what never lands in it")
struct AuditLogRouteTests {
    @Test func filtersByActorActionEntityAndTimeAndPagesNewestFirst() async throws {
        try await withTestApp { t in
            let asha = try await t.admin()
            let ravi = try await t.admin()
            let start = t.clock.now()
            let first = try await t.request(
                .POST, "/movies", json: AuditTrailTests.movieBody, token: asha.accessToken
            ).content.decode(MovieResponse.self)
            t.clock.advance(by: 600)
            let second = try await t.request(
                .POST, "/movies", json: AuditTrailTests.movieBody, token: ravi.accessToken
            ).content.decode(MovieResponse.self)
            t.clock.advance(by: 600)
            let renamed = try await t.request(
                .PATCH, "/movies/\(first.id)", json: ["title": "Renamed"], token: asha.accessToken)
            #expect(renamed.status == .ok)

            let byAsha = try await t.auditLogs(asha, "actor_id=\(asha.id)")
            #expect(byAsha.items.compactMap { $0["action"]?.string } == ["movie.update", "movie.create"])
            #expect(
                try await t.auditLogs(asha, "actor_id=\(ravi.id)").items.first?["entity_id"]?.string
                    == second.id.uuidString)
            #expect(try await t.auditLogs(asha, "action=movie.create").total == 2)
            #expect(try await t.auditLogs(asha, "entity_type=movie&entity_id=\(first.id)").total == 2)
            // A lower-case id in the query finds the same rows.
            #expect(
                try await t.auditLogs(asha, "entity_id=\(first.id.uuidString.lowercased())").total == 2)

            func at(_ offset: TimeInterval) -> String { start.addingTimeInterval(offset).formatted(.iso8601) }
            let middle = try await t.auditLogs(asha, "from=\(at(300))&to=\(at(900))")
            #expect(middle.items.compactMap { $0["entity_id"]?.string } == [second.id.uuidString])
            #expect(try await t.auditLogs(asha, "from=\(at(300))").total == 2)
            #expect(try await t.auditLogs(asha, "action=movie.create&to=\(at(300))").total == 1)

            let page = try await t.auditLogs(asha, "entity_type=movie&limit=2&offset=1")
            #expect(page.total == 3)
            #expect(page.items.compactMap { $0["entity_id"]?.string } == [second.id.uuidString, first.id.uuidString])
            #expect(page.items.last?["action"]?.string == "movie.create")

            let badDate = try await t.request(.GET, "/audit-logs?from=yesterday", token: asha.accessToken)
            #expect(badDate.status == .unprocessableEntity)
            let backwards = try await t.request(.GET, "/audit-logs?from=\(at(10))&to=\(at(0))", token: asha.accessToken)
            #expect(backwards.status == .unprocessableEntity)
            let badID = try await t.request(.GET, "/audit-logs?actor_id=nobody", token: asha.accessToken)
            #expect(badID.status == .unprocessableEntity)
            #expect(badID.problem?.errors?.first?.field == "actor_id")
        }
    }

    @Test func rowsMatchTheDocumentedSchema() async throws {
        try await withTestApp { t in
            let admin = try await t.admin()
            _ = try await t.makeScreen(admin)
            let document = try await t.request(.GET, "/openapi.json")
            let conformance = SchemaConformance(
                document: try JSONDecoder().decode(JSONValue.self, from: Data(buffer: document.body)))
            let response = try await t.request(.GET, "/audit-logs", token: admin.accessToken)
            let body = try JSONDecoder().decode(JSONValue.self, from: Data(buffer: response.body))
            let problems = conformance.problems(method: "GET", template: "/audit-logs", status: 200, body: body)
            #expect(problems.isEmpty, "\(problems)")
            #expect(try await t.auditLogs(admin).total == 3)  // user.create (the admin), screen.create, screen.layout
        }
    }

    @Test func onlyAdminsReadTheTrail() async throws {
        try await withTestApp { t in
            let customer = try await t.customer()
            #expect(try await t.request(.GET, "/audit-logs").status == .unauthorized)
            #expect(try await t.request(.GET, "/audit-logs", token: customer.accessToken).status == .forbidden)
        }
    }

    @Test func failedWritesLeaveNoRow() async throws {
        try await withTestApp { t in
            let admin = try await t.admin()
            let customer = try await t.customer()
            let movie = try await t.makeMovie()
            #expect(
                try await t.request(.POST, "/movies", json: AuditTrailTests.movieBody, token: customer.accessToken)
                    .status == .forbidden)
            #expect(
                try await t.request(.POST, "/movies", json: ["title": ""], token: admin.accessToken).status
                    == .unprocessableEntity)
            #expect(
                try await t.request(.PATCH, "/movies/\(UUID())", json: ["title": "X"], token: admin.accessToken)
                    .status == .notFound)
            #expect(
                try await t.request(
                    .PATCH, "/movies/\(movie)", json: ["duration_minutes": -1], token: admin.accessToken
                ).status == .unprocessableEntity)
            #expect(
                try await t.request(.PATCH, "/users/\(admin.id)", json: ["role": "user"], token: admin.accessToken)
                    .status == .conflict)
            #expect(try await t.auditLogs(admin, "actor_id=\(admin.id)").total == 0)
        }
    }

    /// The change has happened, so a trail that cannot be written is logged, not answered as an error.
    @Test func aWriteSucceedsEvenWhenItsAuditRowCannotBeWritten() async throws {
        try await withTestApp { t in
            let admin = try await t.admin()
            try await (t.app.db as! any SQLDatabase).raw("DROP TABLE audit_logs").run()
            let created = try await t.request(
                .POST, "/movies", json: AuditTrailTests.movieBody, token: admin.accessToken)
            #expect(created.status == .created)
        }
    }

    /// Promotions outside HTTP (`create-admin`, `ADMIN_EMAIL`) are the system's; no password or hash is kept.
    @Test func promotionsAreTheSystemsAndNoSummaryHoldsAPassword() async throws {
        try await withTestApp { t in
            let admin = try await t.admin()
            let asha = try await t.customer()
            let outcome = try await t.app.boxOffice.adminBootstrap.ensureAdmin(
                email: asha.email, password: "promotion-secret-9", name: "Asha", on: t.app.db)
            #expect(outcome == .promoted)
            let ravi = try await t.customer()
            // A password sent where none belongs is ignored by the route and never reaches the trail.
            let disabled = try await t.request(
                .PATCH, "/users/\(ravi.id)", token: admin.accessToken,
                rawBody: #"{"disabled": true, "password": "smuggled-secret-1"}"#)
            #expect(disabled.status == .ok)

            let promote = try await t.auditRow(admin, "user.promote", entity: asha.id)
            #expect(promote["actor_id"] == nil || promote["actor_id"] == .null)
            #expect(promote["summary"]?["before"]?["role"]?.string == "user")
            #expect(promote["summary"]?["after"]?["role"]?.string == "admin")
            #expect(try await t.auditLogs(admin, "action=user.create").total == 1)

            let everything = try await t.request(.GET, "/audit-logs?limit=100", token: admin.accessToken).body.string
            for secret in [
                "promotion-secret-9", "smuggled-secret-1", "correct-horse", "admin-password", "password", "$2",
            ] {
                #expect(!everything.contains(secret), "the trail holds \(secret)")
            }
        }
    }
}
