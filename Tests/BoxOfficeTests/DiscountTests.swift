import Fluent
import Foundation
import Testing
import VaporTesting
@testable import BoxOffice

@Suite("Discounts")
struct DiscountTests {
    struct Fixture {
        let admin: TestApp.Account
        let user: TestApp.Account
        let movie: UUID
        let show: UUID
        let otherMovie: UUID
        let otherShow: UUID
    }

    /// Two movies, each with one show on one screen.
    static func fixture(_ t: TestApp) async throws -> Fixture {
        let admin = try await t.admin()
        let screen = try await t.makeScreen(admin)
        let movie = try await t.makeMovie(title: "Jawan")
        let otherMovie = try await t.makeMovie(title: "Pathaan")
        let show = try await t.makeShow(admin, movie: movie, screen: screen.id, time: "10:00")
        let otherShow = try await t.makeShow(admin, movie: otherMovie, screen: screen.id, time: "15:00")
        #expect(show.status == .created && otherShow.status == .created, "\(show.body.string) \(otherShow.body.string)")
        return Fixture(
            admin: admin, user: try await t.customer(), movie: movie,
            show: try show.content.decode(ShowResponse.self).id,
            otherMovie: otherMovie, otherShow: try otherShow.content.decode(ShowResponse.self).id)
    }

    static func percentCode(_ code: String, _ percent: Double, _ extra: [String: AnyJSON] = [:]) -> [String: AnyJSON] {
        var body: [String: AnyJSON] = [
            "promo_code": .string(code), "discount_type": .string("percent"), "percent": .double(percent),
        ]
        for (key, value) in extra { body[key] = value }
        return body
    }

    @discardableResult
    static func create(_ t: TestApp, _ f: Fixture, _ body: [String: AnyJSON]) async throws -> DiscountResponse {
        let response = try await t.request(.POST, "/discounts", json: body, token: f.admin.accessToken)
        #expect(response.status == .created, "\(response.body.string)")
        return try response.content.decode(DiscountResponse.self)
    }

    static func validate(
        _ t: TestApp, _ f: Fixture, _ code: String, show: UUID? = nil, subtotal: Int,
        as user: TestApp.Account? = nil
    ) async throws -> TestingHTTPResponse {
        let body: [String: AnyJSON] = [
            "code": .string(code), "show_id": .string((show ?? f.show).uuidString), "subtotal_minor": .int(subtotal),
        ]
        return try await t.request(.POST, "/discounts/validate", json: body, token: (user ?? f.user).accessToken)
    }

    static func quote(_ response: TestingHTTPResponse) throws -> DiscountValidationResponse {
        #expect(response.status == .ok, "\(response.body.string)")
        return try response.content.decode(DiscountValidationResponse.self)
    }

    @Test func percentIsRoundedHalfUpToThePaisaAndCapped() async throws {
        try await withTestApp { t in
            let f = try await Self.fixture(t)
            try await Self.create(t, f, Self.percentCode("five", 5))
            try await Self.create(t, f, Self.percentCode("HALF", 50, ["max_discount_minor": .int(20000)]))

            let five = try Self.quote(try await Self.validate(t, f, "Five", subtotal: 1010))
            #expect(five.code == "FIVE" && five.discountType == .percent)
            #expect(five.discountMinor == 51 && five.subtotalMinor == 1010 && five.totalAfterDiscountMinor == 959)
            #expect(try Self.quote(try await Self.validate(t, f, "five", subtotal: 1009)).discountMinor == 50)

            let capped = try Self.quote(try await Self.validate(t, f, "half", subtotal: 100_000))
            #expect(capped.discountMinor == 20000 && capped.totalAfterDiscountMinor == 80000)
            let under = try Self.quote(try await Self.validate(t, f, "half", subtotal: 30001))
            #expect(under.discountMinor == 15001)
        }
    }

    @Test func flatNeverTakesMoreThanTheSubtotal() async throws {
        try await withTestApp { t in
            let f = try await Self.fixture(t)
            try await Self.create(
                t, f, ["promo_code": "FLAT500", "discount_type": "flat", "flat_amount_minor": .int(50000)])
            let above = try Self.quote(try await Self.validate(t, f, "flat500", subtotal: 30000))
            #expect(above.discountMinor == 30000 && above.totalAfterDiscountMinor == 0)
            let below = try Self.quote(try await Self.validate(t, f, "flat500", subtotal: 80000))
            #expect(below.discountMinor == 50000 && below.totalAfterDiscountMinor == 30000)
        }
    }

    @Test func everyRefusalHasItsReasonCode() async throws {
        try await withTestApp { t in
            let f = try await Self.fixture(t)
            let now = t.clock.now()
            let iso = ISO8601DateFormatter()
            try await Self.create(t, f, Self.percentCode("OFF", 10, ["is_active": false]))
            try await Self.create(
                t, f, Self.percentCode("SOON", 10, ["starts_at": .string(iso.string(from: now + 600))]))
            try await Self.create(t, f, Self.percentCode("OLD", 10, ["ends_at": .string(iso.string(from: now + 60))]))
            try await Self.create(t, f, Self.percentCode("BIG", 10, ["min_subtotal_minor": .int(50000)]))
            try await Self.create(t, f, Self.percentCode("JAWAN", 10, ["movie_id": .string(f.movie.uuidString)]))
            try await Self.create(t, f, Self.percentCode("MORNING", 10, ["show_id": .string(f.show.uuidString)]))

            func reason(_ code: String, show: UUID? = nil, subtotal: Int = 40000) async throws -> String? {
                let response = try await Self.validate(t, f, code, show: show, subtotal: subtotal)
                #expect(response.status == .conflict, "\(code): \(response.body.string)")
                return response.problem?.code
            }
            let unknown = try await Self.validate(t, f, "NOPE", subtotal: 1000)
            #expect(unknown.status == .unprocessableEntity)
            #expect(unknown.problem?.code == "invalid_code")
            #expect(unknown.problem?.errors?.map(\.field) == ["code"])

            // Unpublished codes look missing to a customer (see EdgeSecurityTests); an admin sees why.
            #expect(try await Self.validate(t, f, "off", subtotal: 40000).problem?.code == "invalid_code")
            #expect(try await Self.validate(t, f, "soon", subtotal: 40000).problem?.code == "invalid_code")
            #expect(try await Self.validate(t, f, "off", subtotal: 40000, as: f.admin).problem?.code == "inactive")
            #expect(try await Self.validate(t, f, "soon", subtotal: 40000, as: f.admin).problem?.code == "not_started")
            #expect(try await reason("big", subtotal: 49999) == "below_min_subtotal")
            #expect(try await reason("jawan", show: f.otherShow) == "not_applicable")
            #expect(try await reason("morning", show: f.otherShow) == "not_applicable")
            _ = try Self.quote(try await Self.validate(t, f, "big", subtotal: 50000))
            _ = try Self.quote(try await Self.validate(t, f, "jawan", subtotal: 100))
            _ = try Self.quote(try await Self.validate(t, f, "morning", subtotal: 100))
            _ = try Self.quote(try await Self.validate(t, f, "old", subtotal: 100))

            t.clock.advance(by: 60)  // ends_at is exclusive
            #expect(try await reason("old") == "expired")
            t.clock.advance(by: 540)  // starts_at is inclusive (and tokens live an hour)
            _ = try Self.quote(try await Self.validate(t, f, "soon", subtotal: 100))

            let noShow = try await Self.validate(t, f, "soon", show: UUID(), subtotal: 100)
            #expect(noShow.status == .unprocessableEntity)
            #expect(noShow.problem?.errors?.map(\.field) == ["show_id"])
            let negative = try await Self.validate(t, f, "soon", subtotal: -1)
            #expect(negative.problem?.errors?.map(\.field) == ["subtotal_minor"])
        }
    }

    @Test func usageLimitsCountTotalUsesAndThisUsersRedemptions() async throws {
        try await withTestApp { t in
            let f = try await Self.fixture(t)
            let total = try await Self.create(t, f, Self.percentCode("TWICE", 10, ["usage_limit_total": .int(2)]))
            let perUser = try await Self.create(t, f, Self.percentCode("ONCE", 10, ["usage_limit_per_user": .int(1)]))

            try await Discount.query(on: t.app.db).filter(\.$id == total.id).set(\.$timesUsed, to: 1).update()
            _ = try Self.quote(try await Self.validate(t, f, "twice", subtotal: 1000))
            try await Discount.query(on: t.app.db).filter(\.$id == total.id).set(\.$timesUsed, to: 2).update()
            let exhausted = try await Self.validate(t, f, "twice", subtotal: 1000)
            #expect(exhausted.status == .conflict)
            #expect(exhausted.problem?.code == "usage_exhausted")

            _ = try Self.quote(try await Self.validate(t, f, "once", subtotal: 1000))
            try await DiscountRedemption(discountID: perUser.id, userID: f.user.id, redeemedAt: t.clock.now()).create(
                on: t.app.db)
            let used = try await Self.validate(t, f, "once", subtotal: 1000)
            #expect(used.status == .conflict)
            #expect(used.problem?.code == "usage_exhausted")
            let other = try await t.customer()
            _ = try Self.quote(try await Self.validate(t, f, "once", subtotal: 1000, as: other))

            let refused = try await t.request(.DELETE, "/discounts/\(perUser.id)", token: f.admin.accessToken)
            #expect(refused.status == .conflict)
            #expect(refused.problem?.code == "discount_in_use")
        }
    }

    @Test func codesAreUniqueIgnoringCase() async throws {
        try await withTestApp { t in
            let f = try await Self.fixture(t)
            let first = try await Self.create(t, f, Self.percentCode(" save10 ", 10))
            #expect(first.promoCode == "SAVE10")
            let duplicate = try await t.request(
                .POST, "/discounts", json: Self.percentCode("SAVE10", 15), token: f.admin.accessToken)
            #expect(duplicate.status == .conflict)
            #expect(duplicate.problem?.code == "promo_code_exists")
            let other = try await Self.create(t, f, Self.percentCode("SAVE20", 20))
            let rename = try await t.request(
                .PATCH, "/discounts/\(other.id)", json: ["promo_code": "Save10"],
                token: f.admin.accessToken)
            #expect(rename.status == .conflict)
            #expect(rename.problem?.code == "promo_code_exists")
        }
    }

    @Test func invalidDiscountsAre422NamingTheField() async throws {
        try await withTestApp { t in
            let f = try await Self.fixture(t)
            func fields(_ body: [String: AnyJSON]) async throws -> Set<String> {
                let response = try await t.request(.POST, "/discounts", json: body, token: f.admin.accessToken)
                #expect(response.status == .unprocessableEntity, "\(response.body.string)")
                return Set(response.problem?.errors?.map(\.field) ?? [])
            }
            #expect(try await fields(["promo_code": "NOPCT", "discount_type": "percent"]) == ["percent"])
            #expect(try await fields(Self.percentCode("TOOMUCH", 100.5)) == ["percent"])
            #expect(
                try await fields(["promo_code": "FLAT", "discount_type": "flat", "percent": .double(5)])
                    == ["flat_amount_minor", "percent"])
            #expect(try await fields(Self.percentCode("A B", 5)) == ["promo_code"])
            #expect(
                try await fields(
                    Self.percentCode(
                        "BOTH", 5,
                        [
                            "movie_id": .string(f.movie.uuidString),
                            "show_id": .string(f.show.uuidString),
                        ])) == ["show_id"])
            #expect(
                try await fields(Self.percentCode("GHOST", 5, ["movie_id": .string(UUID().uuidString)])) == ["movie_id"]
            )
            #expect(
                try await fields(
                    Self.percentCode(
                        "BACKWARDS", 5,
                        [
                            "starts_at": "2026-12-01T00:00:00Z",
                            "ends_at": "2026-11-01T00:00:00Z", "usage_limit_total": .int(0),
                        ])) == ["ends_at", "usage_limit_total"])
            #expect(try await fields(["promo_code": "KIND", "discount_type": "bogo"]) == ["discount_type"])
        }
    }

    @Test func promoCodesAreForAdminsAndValidationForSignedInUsers() async throws {
        try await withTestApp { t in
            let f = try await Self.fixture(t)
            let code = try await Self.create(t, f, Self.percentCode("SECRET", 10))
            for (method, path) in [
                (HTTPMethod.GET, "/discounts"), (.GET, "/discounts/\(code.id)"), (.DELETE, "/discounts/\(code.id)"),
            ] {
                #expect(try await t.request(method, path, token: f.user.accessToken).status == .forbidden)
                #expect(try await t.request(method, path).status == .unauthorized)
            }
            #expect(
                try await t.request(.POST, "/discounts", json: Self.percentCode("MINE", 90), token: f.user.accessToken)
                    .status == .forbidden)
            let anonymous = try await t.request(
                .POST, "/discounts/validate",
                json: ["code": "SECRET", "show_id": f.show.uuidString, "subtotal_minor": "100"])
            #expect(anonymous.status == .unauthorized)

            let list = try await t.request(.GET, "/discounts?code=cre&is_active=true", token: f.admin.accessToken)
            #expect(try list.content.decode(Page<DiscountResponse>.self).items.map(\.promoCode) == ["SECRET"])
            let off = try await t.request(
                .PATCH, "/discounts/\(code.id)", json: ["is_active": false], token: f.admin.accessToken)
            #expect(try off.content.decode(DiscountResponse.self).isActive == false)
            #expect(try await Self.validate(t, f, "secret", subtotal: 100).problem?.code == "invalid_code")
            #expect(
                try await t.request(.DELETE, "/discounts/\(code.id)", token: f.admin.accessToken).status == .noContent)
            #expect(try await t.request(.GET, "/discounts/\(code.id)", token: f.admin.accessToken).status == .notFound)
        }
    }
}
