import Foundation
import Testing
import VaporTesting
@testable import BoxOffice

@Suite("Food")
struct FoodTests {
    static func category(_ t: TestApp, _ admin: TestApp.Account, _ name: String, gst: String = "food") async throws
        -> FoodCategoryResponse
    {
        let response = try await t.request(
            .POST, "/food-categories", json: ["name": name, "gst_category": gst],
            token: admin.accessToken)
        #expect(response.status == .created, "\(response.body.string)")
        return try response.content.decode(FoodCategoryResponse.self)
    }

    static func item(
        _ t: TestApp, _ admin: TestApp.Account, _ name: String, category: UUID, price: Int = 25000,
        veg: Bool = true, extra: [String: AnyJSON] = [:]
    ) async throws -> FoodItemResponse {
        var body: [String: AnyJSON] = [
            "name": .string(name), "price_minor": .int(price), "category_id": .string(category.uuidString),
            "is_veg": .bool(veg),
        ]
        for (key, value) in extra { body[key] = value }
        let response = try await t.request(.POST, "/food-items", json: body, token: admin.accessToken)
        #expect(response.status == .created, "\(response.body.string)")
        return try response.content.decode(FoodItemResponse.self)
    }

    @Test func categoryNamesAreUniqueIgnoringCase() async throws {
        try await withTestApp { t in
            let admin = try await t.admin()
            let snacks = try await Self.category(t, admin, "Snacks", gst: " Food ")
            #expect(snacks.name == "Snacks" && snacks.gstCategory == "food")
            let duplicate = try await t.request(
                .POST, "/food-categories", json: ["name": " snacks", "gst_category": "food"],
                token: admin.accessToken)
            #expect(duplicate.status == .conflict)
            #expect(duplicate.problem?.code == "food_category_exists")

            let drinks = try await Self.category(t, admin, "Drinks")
            let rename = try await t.request(
                .PUT, "/food-categories/\(drinks.id)", json: ["name": "SNACKS", "gst_category": "food"],
                token: admin.accessToken)
            #expect(rename.problem?.code == "food_category_exists")
            let recase = try await t.request(
                .PUT, "/food-categories/\(snacks.id)", json: ["name": "SNACKS", "gst_category": "food"],
                token: admin.accessToken)
            #expect(recase.status == .ok)

            let list = try await t.request(.GET, "/food-categories").content.decode(Page<FoodCategoryResponse>.self)
            #expect(list.items.map(\.name) == ["Drinks", "SNACKS"])
            let invalid = try await t.request(
                .POST, "/food-categories", json: ["name": "", "gst_category": " "], token: admin.accessToken)
            #expect(Set(invalid.problem?.errors?.map(\.field) ?? []) == ["name", "gst_category"])
        }
    }

    @Test func itemsAreFilteredByCategoryAvailabilityVegAndName() async throws {
        try await withTestApp { t in
            let admin = try await t.admin()
            let snacks = try await Self.category(t, admin, "Snacks")
            let drinks = try await Self.category(t, admin, "Drinks")
            let popcorn = try await Self.item(
                t, admin, "Salted Popcorn", category: snacks.id,
                extra: ["description": "Large tub", "stock": .int(40)])
            #expect(
                popcorn.priceMinor == 25000 && popcorn.stock == 40 && popcorn.isAvailable
                    && popcorn.description == "Large tub")
            _ = try await Self.item(t, admin, "Chicken Nuggets", category: snacks.id, price: 32000, veg: false)
            _ = try await Self.item(t, admin, "Caramel Popcorn", category: snacks.id, extra: ["is_available": false])
            _ = try await Self.item(t, admin, "Cola", category: drinks.id, price: 15000)

            func names(_ query: String) async throws -> [String] {
                let response = try await t.request(.GET, "/food-items?\(query)")
                #expect(response.status == .ok, "\(query): \(response.body.string)")
                return try response.content.decode(Page<FoodItemResponse>.self).items.map(\.name)
            }
            #expect(try await names("") == ["Caramel Popcorn", "Chicken Nuggets", "Cola", "Salted Popcorn"])
            #expect(try await names("category_id=\(drinks.id)") == ["Cola"])
            #expect(try await names("is_available=false") == ["Caramel Popcorn"])
            #expect(try await names("veg=false") == ["Chicken Nuggets"])
            #expect(try await names("q=POPCORN&is_available=true&veg=true") == ["Salted Popcorn"])
            #expect(try await names("q=_") == [])
            let page = try await t.request(.GET, "/food-items?limit=1&offset=3").content.decode(
                Page<FoodItemResponse>.self)
            #expect(page.total == 4 && page.items.map(\.name) == ["Salted Popcorn"])
            #expect(try await t.request(.GET, "/food-items/\(popcorn.id)").status == .ok)
            #expect(try await t.request(.GET, "/food-items/\(UUID())").status == .notFound)
        }
    }

    @Test func patchChangesOnlyWhatIsSentAndInvalidItemsAre422() async throws {
        try await withTestApp { t in
            let admin = try await t.admin()
            let snacks = try await Self.category(t, admin, "Snacks")
            let nachos = try await Self.item(t, admin, "Nachos", category: snacks.id, extra: ["stock": .int(5)])
            let patched = try await t.request(
                .PATCH, "/food-items/\(nachos.id)", json: ["is_available": false, "stock": 0] as [String: AnyJSON],
                token: admin.accessToken)
            #expect(patched.status == .ok)
            let after = try patched.content.decode(FoodItemResponse.self)
            #expect(!after.isAvailable && after.stock == 0 && after.name == "Nachos" && after.priceMinor == 25000)

            let put = try await t.request(
                .PUT, "/food-items/\(nachos.id)",
                json: [
                    "name": .string("Cheese Nachos"), "price_minor": .int(28000),
                    "category_id": .string(snacks.id.uuidString),
                    "is_veg": true,
                ] as [String: AnyJSON], token: admin.accessToken)
            let replaced = try put.content.decode(FoodItemResponse.self)
            #expect(replaced.stock == nil && replaced.isAvailable && replaced.priceMinor == 28000)

            let bad = try await t.request(
                .POST, "/food-items",
                json: [
                    "name": .string(" "), "price_minor": .int(-1), "category_id": .string(UUID().uuidString),
                    "is_veg": true,
                    "stock": .int(-2), "image_url": "file:///etc/passwd",
                ] as [String: AnyJSON], token: admin.accessToken)
            #expect(bad.status == .unprocessableEntity)
            #expect(Set(bad.problem?.errors?.map(\.field) ?? []) == ["name", "price_minor", "stock", "image_url"])
            let unknownCategory = try await t.request(
                .PATCH, "/food-items/\(nachos.id)",
                json: ["category_id": UUID().uuidString], token: admin.accessToken)
            #expect(unknownCategory.problem?.errors?.map(\.field) == ["category_id"])
            #expect(try await t.request(.GET, "/food-items?category_id=oops").status.code / 100 == 4)
        }
    }

    @Test func categoryWithItemsCannotBeDeleted() async throws {
        try await withTestApp { t in
            let admin = try await t.admin()
            let snacks = try await Self.category(t, admin, "Snacks")
            let samosa = try await Self.item(t, admin, "Samosa", category: snacks.id)
            let refused = try await t.request(.DELETE, "/food-categories/\(snacks.id)", token: admin.accessToken)
            #expect(refused.status == .conflict)
            #expect(refused.problem?.code == "food_category_has_items")
            #expect(
                try await t.request(.DELETE, "/food-items/\(samosa.id)", token: admin.accessToken).status == .noContent)
            #expect(
                try await t.request(.DELETE, "/food-categories/\(snacks.id)", token: admin.accessToken).status
                    == .noContent)
            #expect(try await t.request(.GET, "/food-categories/\(snacks.id)").status == .notFound)
        }
    }

    @Test func menuIsPublicAndWritesAdminOnly() async throws {
        try await withTestApp { t in
            let admin = try await t.admin()
            let user = try await t.customer()
            let snacks = try await Self.category(t, admin, "Snacks")
            let samosa = try await Self.item(t, admin, "Samosa", category: snacks.id)
            #expect(try await t.request(.GET, "/food-categories/\(snacks.id)").status == .ok)
            #expect(try await t.request(.GET, "/food-items").status == .ok)
            let body: [String: AnyJSON] = ["name": "Tea", "gst_category": "food"]
            #expect(
                try await t.request(.POST, "/food-categories", json: body, token: user.accessToken).status == .forbidden
            )
            #expect(try await t.request(.POST, "/food-categories", json: body).status == .unauthorized)
            #expect(
                try await t.request(
                    .PATCH, "/food-items/\(samosa.id)", json: ["price_minor": 1], token: user.accessToken
                ).status == .forbidden)
            #expect(
                try await t.request(.DELETE, "/food-items/\(samosa.id)", token: user.accessToken).status == .forbidden)
            #expect(try await t.request(.DELETE, "/food-categories/\(snacks.id)").status == .unauthorized)
        }
    }
}
