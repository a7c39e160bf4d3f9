import Foundation
import Testing
import VaporTesting

@testable import BoxOffice

/// Demand pricing through the API (issue 29): rules per show and for the chain, the price fixed when seats are
/// held, GST following the price, and the staff view. The test cinema has 120 sellable seats: Classic ₹90 (A–D),
/// Prime ₹180 (E–H), Recliner ₹350 (J–K); tickets take 6 % + 6 % GST up to ₹100 and 9 % + 9 % above.
@Suite("Demand pricing")
struct DemandPricingAPITests {
    struct Rules: Encodable, Sendable {
        var occupancyTiers: [[String: Int]] = []
        var leadTimeTiers: [[String: Int]] = []
        var maxAdjustPercent: Int? = nil
        var minAdjustPercent: Int? = nil
    }

    /// +10 % from 10 % of the seats taken, +25 % from 20 %: ₹90 → ₹99 → ₹112.50, which rounds half-up to ₹113.
    static let rushRules = Rules(
        occupancyTiers: [["from_percent": 10, "adjust_percent": 10], ["from_percent": 20, "adjust_percent": 25]],
        maxAdjustPercent: 30, minAdjustPercent: -20)

    private func seatMapPrice(_ f: BookingFixture, _ category: String) async throws -> (now: Int?, base: Int?) {
        let map = try await f.t.request(.GET, "/shows/\(f.show.id)/availability").content.decode(
            AvailabilityResponse.self)
        let row = try #require(map.categories.first { $0.name == category })
        return (row.priceMinor, row.basePriceMinor)
    }

    /// A hold's seats keep the price of the moment they were held: a hold at 0 % books at ₹90 (6 % GST) after the show
    /// crossed 20 % and its Classic seats cost ₹113, which a hold placed then pays, at 18 % GST.
    @Test func thePriceIsFixedWhenTheSeatsAreHeldAndGSTFollowsIt() async throws {
        try await withTestApp { t in
            let f = try await BookingFixture.make(t)
            let admin = try await t.admin()
            let set = try await t.request(
                .PUT, "/shows/\(f.show.id)/pricing-rules", json: Self.rushRules, token: admin.accessToken)
            #expect(set.status == .ok, "\(set.body.string)")

            let early = try await t.customer()
            let earlyHold = try await f.hold(["B5"], early)
            #expect(earlyHold.seats.first?.priceMinor == 9_000)
            #expect(earlyHold.seats.first?.basePriceMinor == 9_000)
            #expect(try await seatMapPrice(f, "Classic").now == 9_000)

            // 24 more seats held by others: 25 of 120 taken, past 20 %.
            for rows in [["C", "D"], ["E"]] {
                let labels = rows.flatMap { row in (1...(row == "E" ? 4 : 12)).map { "\(row)\($0)" } }
                for chunk in stride(from: 0, to: labels.count, by: 10).map({
                    Array(labels[$0..<min($0 + 10, labels.count)])
                }) {
                    _ = try await f.hold(chunk, try await t.customer())
                }
            }
            #expect(try await seatMapPrice(f, "Classic") == (11_300, 9_000))
            #expect(try await seatMapPrice(f, "Prime") == (22_500, 18_000))
            // The show list priced now (not from the list cache): the same prices; the cached list has none.
            let listed = try await t.request(.GET, "/shows?date=\(f.show.showDate)&with_prices=true").content.decode(
                Page<ShowResponse>.self)
            let listedClassic = try #require(listed.items.first?.prices?.first { $0.name == "Classic" })
            #expect((listedClassic.priceMinor, listedClassic.basePriceMinor) == (11_300, 9_000))
            let cached = try await t.request(.GET, "/shows?date=\(f.show.showDate)").content.decode(
                Page<ShowResponse>.self)
            #expect(cached.items.first?.prices == nil)
            let detail = try await t.request(.GET, "/shows/\(f.show.id)").content.decode(ShowResponse.self)
            let classic = try #require(detail.prices?.first { $0.name == "Classic" })
            #expect((classic.priceMinor, classic.basePriceMinor) == (11_300, 9_000))

            // The early hold books at the price it was held at, in the 6 % slab: 9000 + 540 + 540.
            let earlyBooking = try await f.book(earlyHold.lockId, early).content.decode(BookingResponse.self)
            #expect(earlyBooking.seats.map(\.priceMinor) == [9_000])
            #expect(earlyBooking.breakdown.totalMinor == 10_080)

            // A hold now pays ₹113, which crosses into the 18 % slab: 11300 + 1017 + 1017.
            let late = try await t.customer()
            let lateHold = try await f.hold(["B6"], late)
            #expect(lateHold.seats.first?.priceMinor == 11_300)
            #expect(lateHold.seats.first?.basePriceMinor == 9_000)
            // The hold read again names the same prices.
            let again = try await t.request(.GET, "/seatlocks/\(lateHold.lockId)", token: late.accessToken)
            #expect(try again.content.decode(SeatLockResponse.self).seats.first?.priceMinor == 11_300)
            let lateBooking = try await f.book(lateHold.lockId, late).content.decode(BookingResponse.self)
            #expect(lateBooking.seats.map(\.priceMinor) == [11_300])
            #expect(lateBooking.seats.first?.cgstPercent == Percent(basisPoints: 900))
            #expect(lateBooking.breakdown.totalMinor == 13_334)
        }
    }

    /// A ₹110 ticket with −15 % in the last three hours costs ₹93.50 → ₹94 and falls into the 6 % slab.
    @Test func aDiscountInTheLastHoursCrossesGSTDownward() async throws {
        try await withTestApp { t in
            let f = try await BookingFixture.make(t)
            let admin = try await t.admin()
            let prices = try await t.request(.GET, "/show-category-pricing?show_id=\(f.show.id)").content.decode(
                Page<ShowPriceResponse>.self)
            let classicID = try #require(prices.items.first { $0.priceMinor == 9_000 }?.id)
            #expect(
                try await t.request(
                    .PUT, "/show-category-pricing/\(classicID)", json: ["price_minor": 11_000], token: admin.accessToken
                ).status == .ok)
            let rules = Rules(leadTimeTiers: [["within_minutes": 180, "adjust_percent": -15]])
            #expect(
                try await t.request(.PUT, "/pricing-rules", json: rules, token: admin.accessToken).status == .ok)

            let customer = try await t.customer()
            let before = try await f.hold(["A5"], customer)
            #expect(before.seats.first?.priceMinor == 11_000)  // a day ahead: no lead-time tier yet
            _ = try await t.request(.DELETE, "/seatlocks/\(before.lockId)", token: customer.accessToken)

            t.clock.set(f.show.startsAt.addingTimeInterval(-2 * 3600))
            let customerNow = try await t.login(customer.email, customer.password)  // the old token expired meanwhile
            let hold = try await f.hold(["A5"], customerNow)
            #expect(hold.seats.first?.priceMinor == 9_400)
            #expect(hold.seats.first?.basePriceMinor == 11_000)
            let booking = try await f.book(hold.lockId, customerNow).content.decode(BookingResponse.self)
            #expect(booking.seats.first?.cgstPercent == Percent(basisPoints: 600))
            #expect(booking.breakdown.totalMinor == 9_400 + 564 + 564)
        }
    }

    /// Rules are for admins, checked field by field, audited, and a show's own win over the chain's; the staff view
    /// says which apply, how full the show is and what each category costs now.
    @Test func rulesAreAdminOnlyValidatedAuditedAndShownToStaff() async throws {
        try await withTestApp { t in
            let f = try await BookingFixture.make(t)
            let admin = try await t.admin()
            let customer = try await t.customer()
            let path = "/shows/\(f.show.id)/pricing-rules"

            #expect(
                try await t.request(.PUT, path, json: Self.rushRules, token: customer.accessToken).status == .forbidden)
            #expect(try await t.request(.PUT, "/pricing-rules", json: Self.rushRules).status == .unauthorized)
            #expect(
                try await t.request(.GET, "/shows/\(f.show.id)/pricing", token: customer.accessToken).status
                    == .forbidden)
            #expect(try await t.request(.GET, path, token: admin.accessToken).status == .notFound)

            let bad = try await t.request(
                .PUT, path,
                json: Rules(
                    occupancyTiers: [
                        ["from_percent": 150, "adjust_percent": 10], ["from_percent": 150, "adjust_percent": 5],
                    ],
                    leadTimeTiers: [["within_minutes": 0, "adjust_percent": -95]], maxAdjustPercent: 500,
                    minAdjustPercent: 5),
                token: admin.accessToken)
            #expect(bad.status == .unprocessableEntity)
            let fields = Set(bad.problem?.errors?.map(\.field) ?? [])
            #expect(
                fields == [
                    "occupancy_tiers[0].from_percent", "occupancy_tiers[1].from_percent",
                    "lead_time_tiers[0].within_minutes", "lead_time_tiers[0].adjust_percent", "max_adjust_percent",
                    "min_adjust_percent",
                ])
            #expect(try await t.request(.GET, path, token: admin.accessToken).status == .notFound)  // nothing changed
            let malformed = try await t.request(
                .PUT, path, token: admin.accessToken, rawBody: "{\"occupancy_tiers\": 7}")
            #expect([.badRequest, .unprocessableEntity].contains(malformed.status))
            #expect(
                try await t.request(
                    .PUT, "/shows/\(UUID())/pricing-rules", json: Self.rushRules, token: admin.accessToken
                )
                .status == .notFound)

            // The chain's rules apply to a show without its own.
            let chain = Rules(leadTimeTiers: [["within_minutes": 180, "adjust_percent": -15]])
            let chainSet = try await t.request(.PUT, "/pricing-rules", json: chain, token: admin.accessToken)
            let chainRules = try chainSet.content.decode(PricingRulesResponse.self)
            #expect(
                chainRules.scope == .chain && chainRules.maxAdjustPercent == 300 && chainRules.minAdjustPercent == -90)
            let usher = try await t.usher()
            var view = try await t.request(.GET, "/shows/\(f.show.id)/pricing", token: usher.accessToken).content
                .decode(
                    ShowPricingResponse.self)
            #expect(view.rulesSource == .chain)
            #expect(view.occupancy.occupied == 0 && view.occupancy.sellable == 120)

            // The show's own win; the staff view shows the occupancy and the prices they give.
            let own = try await t.request(.PUT, path, json: Self.rushRules, token: admin.accessToken)
            #expect(try own.content.decode(PricingRulesResponse.self).scope == .show)
            _ = try await f.hold((1...10).map { "C\($0)" }, try await t.customer())
            _ = try await f.hold(["D1", "D2"], try await t.customer())
            view = try await t.request(.GET, "/shows/\(f.show.id)/pricing", token: admin.accessToken).content.decode(
                ShowPricingResponse.self)
            #expect(view.rulesSource == .show)
            #expect(view.occupancy.occupied == 12 && view.occupancy.percent == 10)
            let classic = try #require(view.categories.first { $0.name == "Classic" })
            #expect((classic.basePriceMinor, classic.priceMinor, classic.adjustPercent) == (9_000, 9_900, 10))

            // Removing the show's rules brings the chain's back; removing what is not there is a 404.
            #expect(try await t.request(.DELETE, path, token: admin.accessToken).status == .noContent)
            #expect(try await t.request(.DELETE, path, token: admin.accessToken).status == .notFound)
            view = try await t.request(.GET, "/shows/\(f.show.id)/pricing", token: admin.accessToken).content.decode(
                ShowPricingResponse.self)
            #expect(view.rulesSource == .chain)

            // Every change is in the audit trail, with the caller.
            let audit = try await t.request(.GET, "/audit-logs?limit=100", token: admin.accessToken).content.decode(
                Page<AuditLogResponse>.self)
            let actions = audit.items.map(\.action)
            #expect(actions.filter { $0 == "show.pricing_rules" }.count == 1)
            #expect(actions.contains("show.pricing_rules_delete"))
            #expect(actions.contains("pricing_rules.replace"))
            #expect(audit.items.first { $0.action == "show.pricing_rules" }?.actorId == admin.id)
        }
    }

    /// Without rules nothing moves: the seat map's price is the base price, unrounded.
    @Test func withoutRulesThePriceIsTheBasePrice() async throws {
        try await withTestApp { t in
            let f = try await BookingFixture.make(t)
            let customer = try await t.customer()
            let hold = try await f.hold(["F5"], customer)
            #expect(hold.seats.first?.priceMinor == 18_000 && hold.seats.first?.basePriceMinor == 18_000)
            #expect(try await seatMapPrice(f, "Prime") == (18_000, 18_000))
        }
    }
}
