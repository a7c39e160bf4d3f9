import Foundation
import Testing
import VaporTesting
@testable import BoxOffice

@Suite("Audit trail: summaries and action names")
struct AuditSummaryTests {
    private func parsed(_ text: String?) throws -> AuditJSON {
        let text = try #require(text)
        return try #require(AuditJSON.parse(Data(text.utf8)))
    }

    @Test func secretsAreDroppedAtEveryDepth() throws {
        let after = AuditJSON.object([
            "name": .string("Asha"), "password": .string("hunter2"), "password_hash": .string("$2b$12$x"),
            "session": .object(["access_token": .string("eyJ"), "refresh_token": .string("r1")]),
            "gateway": .array([.object(["webhook_secret": .string("s"), "Authorization": .string("Bearer b")])]),
        ])
        let text = try #require(AuditSummary.text(before: nil, after: after))
        for secret in ["hunter2", "$2b$", "eyJ", "r1", "Bearer", "password", "token", "secret"] {
            #expect(!text.contains(secret), "\(secret) kept in \(text)")
        }
        #expect(try parsed(text)["after"]?["name"]?.string == "Asha")
    }

    @Test func bigSummariesKeepWhatChangedAndStayUnderTheBound() throws {
        let long = AuditJSON.string(String(repeating: "x", count: 3_000))
        let before = AuditJSON.object(["id": .string("p1"), "notes": long, "other": long, "price_minor": .int(100)])
        var changed = before
        if case .object(var members) = changed {
            members["price_minor"] = .int(250)
            changed = .object(members)
        }
        let text = try #require(AuditSummary.text(before: before, after: changed))
        #expect(text.utf8.count <= AuditSummary.maxBytes)
        let summary = try parsed(text)
        #expect(summary["truncated"] == .bool(true))
        #expect(summary["before"]?["price_minor"]?.int == 100)
        #expect(summary["after"]?["price_minor"]?.int == 250)
        #expect(summary["after"]?["id"]?.string == "p1")

        // A huge creation (no before to compare with) is compacted; nothing is ever stored over the bound.
        let items = AuditJSON.array((0..<500).map { .object(["label": .string("Seat \($0)"), "notes": long]) })
        let huge = try #require(AuditSummary.text(before: nil, after: .object(["seats": items, "notes": long])))
        #expect(huge.utf8.count <= AuditSummary.maxBytes)
        #expect(try parsed(huge)["truncated"] == .bool(true))
        #expect(AuditSummary.text(before: nil, after: nil) == nil)
    }

    /// Action names are an interface (filters, saved queries): each admin write route's name is listed here, so a
    /// renamed route or a new one is a deliberate change.
    @Test func everyAdminWriteHasAStableActionName() async throws {
        try await withTestApp { t in
            var names: [String: String] = [:]
            for route in t.app.routes.all
            where route.apiDoc?.access == .admin && route.method != .GET && route.method != .HEAD {
                let path = route.path.map(\.description).joined(separator: "/")
                names["\(route.method.rawValue) /\(path)"] = AuditAction(route: route)?.name
            }
            let expected: [String: String] = [
                "POST /movies": "movie.create", "PUT /movies/:id": "movie.replace",
                "PATCH /movies/:id": "movie.update", "DELETE /movies/:id": "movie.delete",
                "POST /movies/:id/poster": "movie.poster",
                "POST /screens": "screen.create", "PATCH /screens/:id": "screen.update",
                "DELETE /screens/:id": "screen.delete", "POST /screens/:id/layout": "screen.layout",
                "POST /seat-categories": "seat_category.create", "PATCH /seat-categories/:id": "seat_category.update",
                "DELETE /seat-categories/:id": "seat_category.delete",
                "POST /seats": "seat.create", "PATCH /seats/:id": "seat.update", "DELETE /seats/:id": "seat.delete",
                "POST /shows": "show.create", "PATCH /shows/:id": "show.update", "PUT /shows/:id/cancel": "show.cancel",
                "POST /show-category-pricing": "show_price.create",
                "PUT /show-category-pricing/:id": "show_price.replace",
                "PATCH /show-category-pricing/:id": "show_price.update",
                "DELETE /show-category-pricing/:id": "show_price.delete",
                "POST /gst": "gst_rate.create", "PUT /gst/:id": "gst_rate.replace",
                "DELETE /gst/:id": "gst_rate.delete",
                "POST /discounts": "discount.create", "PUT /discounts/:id": "discount.replace",
                "PATCH /discounts/:id": "discount.update", "DELETE /discounts/:id": "discount.delete",
                "POST /food-categories": "food_category.create", "PUT /food-categories/:id": "food_category.replace",
                "DELETE /food-categories/:id": "food_category.delete",
                "POST /food-items": "food_item.create", "PUT /food-items/:id": "food_item.replace",
                "PATCH /food-items/:id": "food_item.update", "DELETE /food-items/:id": "food_item.delete",
                "POST /payments/:id/refund": "payment.refund", "DELETE /payments/:id": "payment.delete",
                "POST /seatlocks/cleanup": "seat_lock.cleanup", "PUT /feedback/:id/reply": "feedback.reply",
                "PUT /pricing-rules": "pricing_rules.replace", "DELETE /pricing-rules": "pricing_rules.delete",
                "PUT /shows/:id/pricing-rules": "show.pricing_rules",
                "DELETE /shows/:id/pricing-rules": "show.pricing_rules_delete",
                "PUT /shows/:id/waiting-room": "show.waiting_room",
                "DELETE /shows/:id/waiting-room": "show.waiting_room_delete",
                "PUT /movies/:id/waiting-room": "movie.waiting_room",
                "PATCH /users/:id": "user.update",
                "POST /backup": "backup.create", "DELETE /backup/:id": "backup.delete",
                "POST /restore": "restore.create", "DELETE /restore/:id": "restore.delete",
            ]
            #expect(names == expected)
        }
    }
}
