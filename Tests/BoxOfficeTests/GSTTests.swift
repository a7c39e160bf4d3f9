import Foundation
import Testing
import VaporTesting
@testable import BoxOffice

@Suite("GST")
struct GSTTests {
    static func slab(_ category: String, _ cgst: Double, _ sgst: Double, min: Int? = nil, max: Int? = nil) -> [String:
        AnyJSON]
    {
        var body: [String: AnyJSON] = ["category": .string(category), "cgst": .double(cgst), "sgst": .double(sgst)]
        if let min { body["min_price_minor"] = .int(min) }
        if let max { body["max_price_minor"] = .int(max) }
        return body
    }

    /// India's ticket GST: up to ₹100 12 % (6 + 6), above ₹100 18 % (9 + 9).
    static func addTicketSlabs(_ t: TestApp, _ admin: TestApp.Account) async throws -> (
        low: GSTRateResponse, high: GSTRateResponse
    ) {
        let low = try await t.request(.POST, "/gst", json: slab("Ticket", 6, 6, max: 10000), token: admin.accessToken)
        #expect(low.status == .created, "\(low.body.string)")
        let high = try await t.request(.POST, "/gst", json: slab("ticket", 9, 9, min: 10001), token: admin.accessToken)
        #expect(high.status == .created, "\(high.body.string)")
        return (try low.content.decode(GSTRateResponse.self), try high.content.decode(GSTRateResponse.self))
    }

    @Test func ticketSlabBoundaryIsExactlyOneHundredRupees() async throws {
        try await withTestApp { t in
            let admin = try await t.admin()
            let (low, high) = try await Self.addTicketSlabs(t, admin)
            #expect(low.category == "ticket" && low.cgst == Percent(basisPoints: 600) && low.sgst.basisPoints == 600)
            #expect(high.cgst.basisPoints == 900 && high.minPriceMinor == 10001 && high.maxPriceMinor == nil)

            let service = GSTService()
            for (price, expected) in [
                (1, low.id), (9999, low.id), (10000, low.id), (10001, high.id), (5_000_000, high.id),
            ] {
                let rate = try await service.rate(for: "TICKET", unitPriceMinor: price, on: t.app.db)
                #expect(rate?.id == expected, "price \(price)")
            }
            #expect(try await service.rate(for: "food", unitPriceMinor: 10000, on: t.app.db) == nil)
        }
    }

    @Test func overlappingSlabsInOneCategoryAre409OnCreateAndUpdate() async throws {
        try await withTestApp { t in
            let admin = try await t.admin()
            let (low, high) = try await Self.addTicketSlabs(t, admin)
            for body in [
                Self.slab("ticket", 9, 9, min: 10000), Self.slab("ticket", 2.5, 2.5),
                Self.slab(" TICKET ", 1, 1, min: 500, max: 600),
            ] {
                let response = try await t.request(.POST, "/gst", json: body, token: admin.accessToken)
                #expect(response.status == .conflict)
                #expect(response.problem?.code == "gst_slab_overlap")
            }
            // Another category is independent.
            let food = try await t.request(.POST, "/gst", json: Self.slab("food", 2.5, 2.5), token: admin.accessToken)
            #expect(food.status == .created)
            #expect(food.body.string.contains(#""cgst":2.5"#))

            let widen = try await t.request(
                .PUT, "/gst/\(low.id)", json: Self.slab("ticket", 6, 6, max: 10001),
                token: admin.accessToken)
            #expect(widen.status == .conflict)
            #expect(widen.problem?.code == "gst_slab_overlap")
            // A slab does not overlap itself.
            let same = try await t.request(
                .PUT, "/gst/\(high.id)", json: Self.slab("ticket", 9, 9, min: 10001),
                token: admin.accessToken)
            #expect(same.status == .ok)
            let deleted = try await t.request(.DELETE, "/gst/\(low.id)", token: admin.accessToken)
            #expect(deleted.status == .noContent)
            let moved = try await t.request(
                .PUT, "/gst/\(high.id)", json: Self.slab("ticket", 9, 9), token: admin.accessToken)
            #expect(moved.status == .ok)
            #expect(try await t.request(.GET, "/gst/\(low.id)").status == .notFound)
        }
    }

    @Test func invalidSlabsAre422() async throws {
        try await withTestApp { t in
            let admin = try await t.admin()
            let response = try await t.request(
                .POST, "/gst", json: Self.slab(" ", 101, -1, min: 500, max: 100),
                token: admin.accessToken)
            #expect(response.status == .unprocessableEntity)
            #expect(
                Set(response.problem?.errors?.map(\.field) ?? []) == ["category", "cgst", "sgst", "max_price_minor"])
            let precise = try await t.request(
                .POST, "/gst", json: Self.slab("ticket", 2.555, 2.5), token: admin.accessToken)
            #expect(precise.status == .unprocessableEntity)
            #expect(precise.problem?.errors?.map(\.field) == ["cgst"])
        }
    }

    @Test func readsArePublicAndWritesAdminOnly() async throws {
        try await withTestApp { t in
            let admin = try await t.admin()
            let user = try await t.customer()
            let (low, _) = try await Self.addTicketSlabs(t, admin)
            _ = try await t.request(.POST, "/gst", json: Self.slab("food", 2.5, 2.5), token: admin.accessToken)

            let all = try await t.request(.GET, "/gst").content.decode(Page<GSTRateResponse>.self)
            #expect(all.total == 3)
            #expect(all.items.map(\.category) == ["food", "ticket", "ticket"])
            #expect(all.items.map(\.minPriceMinor) == [nil, nil, 10001])
            let tickets = try await t.request(.GET, "/gst?category=Ticket").content.decode(Page<GSTRateResponse>.self)
            #expect(tickets.total == 2)
            #expect(try await t.request(.GET, "/gst/\(low.id)").status == .ok)

            let body = Self.slab("popcorn", 9, 9)
            #expect(try await t.request(.POST, "/gst", json: body, token: user.accessToken).status == .forbidden)
            #expect(try await t.request(.POST, "/gst", json: body).status == .unauthorized)
            #expect(
                try await t.request(.PUT, "/gst/\(low.id)", json: body, token: user.accessToken).status == .forbidden)
            #expect(try await t.request(.DELETE, "/gst/\(low.id)", token: user.accessToken).status == .forbidden)
            #expect(try await t.request(.GET, "/gst/\(low.id)").status == .ok)
        }
    }
}
