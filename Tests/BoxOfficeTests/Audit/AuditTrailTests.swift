import Foundation
import Testing
import VaporTesting
@testable import BoxOffice

@Suite("Audit trail: every kind of admin write leaves a row")
struct AuditTrailTests {
    static let movieBody = CreateMovieRequest(
        title: "Audit Film", description: "A film.", durationMinutes: 100, genres: ["Drama"], languages: ["Hindi"],
        formats: ["2D"], releaseDate: "2026-11-01", rating: 7, certificate: "UA", cast: [], crew: [], isActive: true)

    @Test func movieCreateUpdateAndDeleteKeepWhoAndWhatBeforeAndAfter() async throws {
        try await withTestApp { t in
            let admin = try await t.admin()
            let created = try await t.request(.POST, "/movies", json: Self.movieBody, token: admin.accessToken)
            #expect(created.status == .created)
            let movie = try created.content.decode(MovieResponse.self)
            let patched = try await t.request(
                .PATCH, "/movies/\(movie.id)", json: ["title": "Audit Film (Director's Cut)"],
                token: admin.accessToken)
            #expect(patched.status == .ok)
            #expect(try await t.request(.DELETE, "/movies/\(movie.id)", token: admin.accessToken).status == .noContent)

            let create = try await t.auditRow(admin, "movie.create", entity: movie.id)
            #expect(create["actor_id"]?.string == admin.id.uuidString)
            #expect(create["actor_email"]?.string == admin.email)
            #expect(create["entity_type"]?.string == "movie")
            #expect(create["request_id"]?.string == created.headers.first(name: .xRequestId))
            #expect(create["summary"]?["before"] == .null)
            #expect(create["summary"]?["after"]?["title"]?.string == "Audit Film")

            let update = try await t.auditRow(admin, "movie.update", entity: movie.id)
            #expect(update["summary"]?["before"]?["title"]?.string == "Audit Film")
            #expect(update["summary"]?["after"]?["title"]?.string == "Audit Film (Director's Cut)")

            let delete = try await t.auditRow(admin, "movie.delete", entity: movie.id)
            #expect(delete["summary"]?["before"]?["title"]?.string == "Audit Film (Director's Cut)")
            #expect(delete["summary"]?["after"] == .null)
        }
    }

    @Test func screenLayoutShowCreateAndCancelAreRecorded() async throws {
        try await withTestApp { t in
            let admin = try await t.admin()
            let screen = try await t.makeScreen(admin)
            let show = try await t.makeShow(admin, movie: try await t.makeMovie(), screen: screen.id)
                .content.decode(ShowResponse.self)
            let cancelled = try await t.request(
                .PUT, "/shows/\(show.id)/cancel", json: ["reason": "Projector fault"], token: admin.accessToken)
            #expect(cancelled.status == .ok)

            #expect(try await t.auditRow(admin, "screen.create", entity: screen.id)["entity_type"]?.string == "screen")
            let layout = try await t.auditRow(admin, "screen.layout", entity: screen.id)
            #expect(layout["summary"]?["after"]?["id"]?.string == screen.id.uuidString)
            let create = try await t.auditRow(admin, "show.create", entity: show.id)
            #expect(create["summary"]?["after"]?["status"]?.string == "SCHEDULED")
            let cancel = try await t.auditRow(admin, "show.cancel", entity: show.id)
            #expect(cancel["summary"]?["before"]?["status"]?.string == "SCHEDULED")
            #expect(cancel["summary"]?["after"]?["status"]?.string == "CANCELLED")
            #expect(cancel["summary"]?["after"]?["cancel_reason"]?.string == "Projector fault")
        }
    }

    /// "Who changed a price, and when": one entity's history names the admin, the time and both prices.
    @Test func aPriceChangeShowsWhoWhenAndBothPrices() async throws {
        try await withTestApp { t in
            let admin = try await t.admin()
            let screen = try await t.makeScreen(admin)
            let show = try await t.makeShow(admin, movie: try await t.makeMovie(), screen: screen.id)
                .content.decode(ShowResponse.self)
            let price = try #require(
                try await t.request(.GET, "/show-category-pricing?show_id=\(show.id)")
                    .content.decode(Page<ShowPriceResponse>.self).items.first)
            t.clock.advance(by: 600)
            let changed = try await t.request(
                .PUT, "/show-category-pricing/\(price.id)", json: ["price_minor": price.priceMinor + 2_500],
                token: admin.accessToken)
            #expect(changed.status == .ok)

            let history = try await t.auditLogs(admin, "entity_type=show_price&entity_id=\(price.id)")
            #expect(history.total == 1)
            let row = try #require(history.items.first)
            #expect(row["action"]?.string == "show_price.replace")
            #expect(row["actor_email"]?.string == admin.email)
            #expect(row["created_at"]?.string == t.clock.now().formatted(.iso8601))
            #expect(row["summary"]?["before"]?["price_minor"]?.int == price.priceMinor)
            #expect(row["summary"]?["after"]?["price_minor"]?.int == price.priceMinor + 2_500)
        }
    }

    @Test func gstDiscountAndFoodWritesAreRecorded() async throws {
        try await withTestApp { t in
            let admin = try await t.admin()
            let slab = try await t.request(
                .POST, "/gst",
                json: CreateGSTRateRequest(
                    category: "ticket", cgst: Percent(basisPoints: 900), sgst: Percent(basisPoints: 900),
                    minPriceMinor: 0, maxPriceMinor: nil), token: admin.accessToken
            ).content.decode(GSTRateResponse.self)
            #expect(try await t.request(.DELETE, "/gst/\(slab.id)", token: admin.accessToken).status == .noContent)
            #expect(
                try await t.auditRow(admin, "gst_rate.create", entity: slab.id)["entity_type"]?.string == "gst_rate")
            #expect(try await t.auditRow(admin, "gst_rate.delete", entity: slab.id)["summary"]?["after"] == .null)

            let code = try await t.request(
                .POST, "/discounts",
                json: CreateDiscountRequest(
                    promoCode: "AUDIT20", description: nil, discountType: .flat, percent: nil, maxDiscountMinor: nil,
                    flatAmountMinor: 2_000, minSubtotalMinor: 0, startsAt: nil, endsAt: nil, isActive: true,
                    usageLimitTotal: nil, usageLimitPerUser: nil, movieId: nil, showId: nil), token: admin.accessToken
            ).content.decode(DiscountResponse.self)
            let paused = try await t.request(
                .PATCH, "/discounts/\(code.id)", json: ["is_active": false], token: admin.accessToken)
            #expect(paused.status == .ok)
            #expect(try await t.auditRow(admin, "discount.create", entity: code.id)["summary"]?["after"] != nil)
            let pause = try await t.auditRow(admin, "discount.update", entity: code.id)
            #expect(pause["summary"]?["before"]?["is_active"] == .bool(true))
            #expect(pause["summary"]?["after"]?["is_active"] == .bool(false))

            let category = try await t.request(
                .POST, "/food-categories", json: CreateFoodCategoryRequest(name: "Snacks", gstCategory: "food"),
                token: admin.accessToken
            ).content.decode(FoodCategoryResponse.self)
            let item = try await t.request(
                .POST, "/food-items",
                json: CreateFoodItemRequest(
                    name: "Nachos", description: nil, priceMinor: 15_000, categoryId: category.id, isVeg: true,
                    isAvailable: true, imageUrl: nil, stock: nil), token: admin.accessToken
            ).content.decode(FoodItemResponse.self)
            let repriced = try await t.request(
                .PATCH, "/food-items/\(item.id)", json: ["price_minor": 16_000], token: admin.accessToken)
            #expect(repriced.status == .ok)
            #expect(try await t.auditRow(admin, "food_category.create", entity: category.id)["action"] != nil)
            #expect(try await t.auditRow(admin, "food_item.create", entity: item.id)["action"] != nil)
            let reprice = try await t.auditRow(admin, "food_item.update", entity: item.id)
            #expect(reprice["summary"]?["before"]?["price_minor"]?.int == 15_000)
            #expect(reprice["summary"]?["after"]?["price_minor"]?.int == 16_000)
        }
    }

    @Test func roleChangesAndDisablingAreNamedForWhatTheyDid() async throws {
        try await withTestApp { t in
            let admin = try await t.admin()
            let asha = try await t.customer()
            let ravi = try await t.customer()
            let promoted = try await t.request(
                .PATCH, "/users/\(asha.id)", json: ["role": "admin"], token: admin.accessToken)
            #expect(promoted.status == .ok)
            let disabled = try await t.request(
                .PATCH, "/users/\(ravi.id)", json: ["disabled": true], token: admin.accessToken)
            #expect(disabled.status == .ok)

            let role = try await t.auditRow(admin, "user.role_change", entity: asha.id)
            #expect(role["summary"]?["before"]?["role"]?.string == "user")
            #expect(role["summary"]?["after"]?["role"]?.string == "admin")
            let disable = try await t.auditRow(admin, "user.disable", entity: ravi.id)
            #expect(disable["summary"]?["after"]?["is_disabled"] == .bool(true))
            #expect(disable["actor_email"]?.string == admin.email)
        }
    }

    @Test func anAdminRefundIsRecordedWithTheRefundedAmount() async throws {
        try await withPaymentApp { f in
            let asha = try await f.t.customer()
            let (_, payment) = try await f.bookAndPay(["K9"], asha)
            let admin = try await f.t.login(CinemaBuilder.adminEmail, CinemaBuilder.adminPassword)
            let refund = try await f.t.request(
                .POST, "/payments/\(payment.paymentId)/refund",
                json: RefundRequest(amountMinor: 1_000, reason: "Goodwill"), token: admin.accessToken)
            #expect(refund.status == .created)

            let row = try await f.t.auditRow(admin, "payment.refund", entity: payment.paymentId)
            #expect(row["actor_id"]?.string == admin.id.uuidString)
            #expect(row["summary"]?["before"]?["refunded_minor"]?.int == 0)
            #expect(row["summary"]?["after"]?["refunded_minor"]?.int == 1_000)

            // An admin cancelling a customer's booking refunds it: that is recorded too.
            let (other, _) = try await f.bookAndPay(["K10"], asha)
            let cancelled = try await f.t.request(.POST, "/bookings/\(other.id)/cancel", token: admin.accessToken)
            #expect(cancelled.status == .ok)
            let cancel = try await f.t.auditRow(admin, "booking.cancel", entity: other.id)
            #expect(cancel["summary"]?["before"]?["status"]?.string == "CONFIRMED")
            #expect(cancel["summary"]?["after"]?["status"]?.string == "CANCELLED")

            // The customer's own writes (hold, booking, payment, cancelling) are not admin writes.
            let (own, _) = try await f.bookAndPay(["K11"], asha)
            #expect(
                try await f.t.request(.POST, "/bookings/\(own.id)/cancel", token: asha.accessToken).status == .ok)
            #expect(try await f.t.auditLogs(admin, "actor_id=\(asha.id)").total == 0)
            #expect(try await f.t.auditLogs(admin, "entity_id=\(own.id)").total == 0)
        }
    }
}
