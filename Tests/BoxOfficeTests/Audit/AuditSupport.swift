import Foundation
import Testing
import VaporTesting
@testable import BoxOffice

extension TestApp {
    /// `GET /audit-logs?<query>` as plain JSON, so summaries read with the keys they were stored with.
    func auditLogs(_ admin: Account, _ query: String = "") async throws -> (total: Int, items: [AuditJSON]) {
        let response = try await request(
            .GET, "/audit-logs" + (query.isEmpty ? "" : "?\(query)"), token: admin.accessToken)
        #expect(response.status == .ok, "\(response.body.string)")
        let page = try JSONDecoder().decode(AuditJSON.self, from: Data(buffer: response.body))
        guard case .array(let items)? = page["items"], case .int(let total)? = page["total"] else {
            Issue.record("not a page: \(response.body.string)")
            return (0, [])
        }
        return (total, items)
    }

    /// The one row of this action on this entity.
    func auditRow(_ admin: Account, _ action: String, entity: UUID) async throws -> AuditJSON {
        let rows = try await auditLogs(admin, "action=\(action)&entity_id=\(entity.uuidString)").items
        #expect(rows.count == 1, "\(action) on \(entity): \(rows.count) rows")
        return try #require(rows.first)
    }
}

extension AuditJSON {
    var int: Int? {
        guard case .int(let value) = self else { return nil }
        return value
    }
}
