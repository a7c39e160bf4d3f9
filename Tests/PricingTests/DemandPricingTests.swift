import Foundation
import Testing
@testable import Pricing

@Suite("Demand pricing")
struct DemandPricingTests {
    @Test(arguments: DemandExample.all)
    func pricesAsWorkedByHand(_ example: DemandExample) throws {
        try example.rules.validate()
        let price = try example.rules.price(
            basePriceMinor: example.base, sold: example.sold, sellable: example.sellable,
            secondsBeforeStart: example.secondsBefore)
        #expect(price.occupancyTier?.fromPercent == example.occupancyFrom, "occupancy tier")
        #expect(price.leadTimeTier?.withinMinutes == example.leadTimeWithin, "lead-time tier")
        #expect(price.adjustPercent == example.adjust, "adjustment")
        #expect(price.priceMinor == example.price, "price")
        #expect(price.basePriceMinor == example.base)
    }

    @Test("GST follows the demand price across ₹100, both ways")
    func gstFollowsThePrice() throws {
        func ticket(_ base: Int, sold: Int, before seconds: Int) throws -> PricedLine {
            let price = try issueRules.price(
                basePriceMinor: base, sold: sold, sellable: 200, secondsBeforeStart: seconds)
            let quote = try PriceCalculator.quote(lines: [seat("A1", price.priceMinor)], discount: nil, gst: indiaGST)
            return quote.lines[0]
        }
        // ₹90 with no tier: 12 %, 9 000 × 6 % = 540 each.
        let plain = try ticket(9_000, sold: 100, before: day)
        #expect(plain.unitPrice == 9_000 && plain.gstRule.cgstBasisPoints == 600 && plain.total == 10_080)
        // 90 % sold: ₹90 + 25 % = ₹112.50 → ₹113, over ₹100: 18 %, 11 300 × 9 % = 1 017 each.
        let up = try ticket(9_000, sold: 180, before: day)
        #expect(up.unitPrice == 11_300 && up.gstRule.cgstBasisPoints == 900)
        #expect(up.cgst == 1_017 && up.sgst == 1_017 && up.total == 13_334)
        // The same show 2 hours before: +25 − 15 = +10 % → ₹99, back in the 12 % slab: 9 900 × 6 % = 594 each.
        let back = try ticket(9_000, sold: 180, before: 7_200)
        #expect(back.unitPrice == 9_900 && back.gstRule.cgstBasisPoints == 600 && back.total == 11_088)
        // A ₹110 ticket (18 % on its own) at −15 % is ₹93.50 → ₹94: 12 %, 9 400 × 6 % = 564 each.
        let down = try ticket(11_000, sold: 0, before: 600)
        #expect(down.unitPrice == 9_400 && down.gstRule.cgstBasisPoints == 600 && down.total == 10_528)
        // ₹80 + 25 % is exactly ₹100.00: still 12 %, the slab's top is inclusive.
        let edge = try ticket(8_000, sold: 180, before: day)
        #expect(edge.unitPrice == 10_000 && edge.gstRule.cgstBasisPoints == 600 && edge.total == 11_200)
    }

    @Test("The tier picked does not depend on the order the tiers are listed in")
    func tierOrderDoesNotMatter() throws {
        var reversed = wideRules
        reversed.occupancyTiers.reverse()
        reversed.leadTimeTiers.reverse()
        for example in DemandExample.all where example.rules == wideRules {
            let price = try reversed.price(
                basePriceMinor: example.base, sold: example.sold, sellable: example.sellable,
                secondsBeforeStart: example.secondsBefore)
            #expect(price.priceMinor == example.price, "\(example.name)")
        }
    }

    @Test("Rules validate() refuses still price without trapping or going below ₹0")
    func unvalidatedRulesAreSafe() throws {
        let wild = DemandPricingRules(
            occupancyTiers: [
                .init(fromPercent: 0, adjustPercent: -500), .init(fromPercent: .max, adjustPercent: .max),
            ],
            leadTimeTiers: [.init(withinMinutes: .max, adjustPercent: .min)],
            maxAdjustPercent: .max, minAdjustPercent: .min)
        #expect(throws: DemandPricingRulesError.self) { try wild.validate() }
        // −500 and Int.min count as −90 each; −180 clamps to −90: ₹200 → ₹20.
        let price = try wild.price(basePriceMinor: 20_000, sold: .max, sellable: .max, secondsBeforeStart: .min)
        #expect(price.occupancyTier?.fromPercent == 0 && price.adjustPercent == -90 && price.priceMinor == 2_000)
        // min > max: the minimum wins.
        let crossed = DemandPricingRules(maxAdjustPercent: 10, minAdjustPercent: 20)
        #expect(
            try crossed.price(basePriceMinor: 10_000, sold: 0, sellable: 1, secondsBeforeStart: 0).priceMinor == 12_000)
        // A negative base counts as 0; a base far beyond any ticket is refused, not wrapped.
        let negative = try issueRules.price(basePriceMinor: -500, sold: 180, sellable: 200, secondsBeforeStart: day)
        #expect(negative.basePriceMinor == 0 && negative.priceMinor == 0)
        #expect(throws: PricingError.amountTooLarge) {
            try issueRules.price(basePriceMinor: .max / 100, sold: 180, sellable: 200, secondsBeforeStart: day)
        }
    }

    @Test("The issue's JSON decodes through the app's snake_case coders")
    func decodesTheIssueJSON() throws {
        let json = """
            {"occupancy_tiers": [{"from_percent": 70, "adjust_percent": 10}, {"from_percent": 90, "adjust_percent": 25}],
             "lead_time_tiers": [{"within_minutes": 180, "adjust_percent": -15}],
             "max_adjust_percent": 30, "min_adjust_percent": -20}
            """
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        let rules = try decoder.decode(DemandPricingRules.self, from: Data(json.utf8))
        #expect(rules == issueRules)
        let encoder = JSONEncoder()
        encoder.keyEncodingStrategy = .convertToSnakeCase
        #expect(try decoder.decode(DemandPricingRules.self, from: encoder.encode(rules)) == rules)
    }
}
