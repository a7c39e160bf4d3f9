import Foundation
import Testing
import VaporTesting
@testable import BoxOffice

@Suite("Show-category pricing")
struct ShowPricingTests {
    @Test func pricesAreSeededAndOverridableButNeverDuplicated() async throws {
        try await withTestApp { t in
            let admin = try await t.admin()
            let screen = try await t.makeScreen(admin)
            let other = try await t.makeScreen(admin)
            let show = try await t.makeShow(admin, movie: try await t.makeMovie(), screen: screen.id).content.decode(
                ShowResponse.self)
            let prices = try await t.request(.GET, "/show-category-pricing?show_id=\(show.id)").content.decode(
                Page<ShowPriceResponse>.self)
            #expect(prices.total == 2)
            let classic = try #require(screen.categories.first { $0.name == "Classic" })

            let duplicate = try await t.request(
                .POST, "/show-category-pricing",
                json: ShowPriceRequest(
                    showId: show.id, categoryId: classic.categoryId, priceMinor: 9900), token: admin.accessToken)
            #expect(duplicate.status == .conflict)
            #expect(duplicate.problem?.code == "price_exists")

            let foreign = try await t.request(
                .POST, "/show-category-pricing",
                json: ShowPriceRequest(
                    showId: show.id, categoryId: other.categories[0].categoryId, priceMinor: 9900),
                token: admin.accessToken)
            #expect(foreign.status == .unprocessableEntity)
            #expect(foreign.problem?.errors?.first?.field == "category_id")

            let priceID = try #require(prices.items.first { $0.categoryId == classic.categoryId }?.id)
            let negative = try await t.request(
                .PATCH, "/show-category-pricing/\(priceID)", json: ["price_minor": -5], token: admin.accessToken)
            #expect(negative.status == .unprocessableEntity)
            let changed = try await t.request(
                .PUT, "/show-category-pricing/\(priceID)", json: ["price_minor": 9900], token: admin.accessToken)
            #expect(try changed.content.decode(ShowPriceResponse.self).priceMinor == 9900)

            // Delete then add back through POST.
            #expect(
                try await t.request(.DELETE, "/show-category-pricing/\(priceID)", token: admin.accessToken).status
                    == .noContent)
            let added = try await t.request(
                .POST, "/show-category-pricing",
                json: ShowPriceRequest(
                    showId: show.id, categoryId: classic.categoryId, priceMinor: 12000), token: admin.accessToken)
            #expect(added.status == .created)
            let user = try await t.customer()
            #expect(
                try await t.request(
                    .POST, "/show-category-pricing",
                    json: ShowPriceRequest(
                        showId: show.id, categoryId: classic.categoryId, priceMinor: 1), token: user.accessToken
                ).status == .forbidden)
        }
    }
}
