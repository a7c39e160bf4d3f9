import Testing
@testable import Pricing

@Suite("Demand-pricing rules")
struct DemandPricingRulesTests {
    /// Rules an admin cannot save, and every (field, message) they get back, in order.
    struct Case: Sendable, CustomTestStringConvertible {
        var problem: String, rules: DemandPricingRules, errors: [(String, String)]
        var testDescription: String { problem }

        init(_ problem: String, _ rules: DemandPricingRules, _ errors: [(String, String)]) {
            (self.problem, self.rules, self.errors) = (problem, rules, errors)
        }
    }

    static func rules(
        occupancy: [(Int, Int)] = [], leadTime: [(Int, Int)] = [], max: Int = 30, min: Int = -20
    ) -> DemandPricingRules {
        DemandPricingRules(
            occupancyTiers: occupancy.map { .init(fromPercent: $0.0, adjustPercent: $0.1) },
            leadTimeTiers: leadTime.map { .init(withinMinutes: $0.0, adjustPercent: $0.1) },
            maxAdjustPercent: max, minAdjustPercent: min)
    }

    static let cases: [Case] = [
        Case(
            "from_percent above 100 and below 0", rules(occupancy: [(101, 10), (-1, 5)]),
            [
                ("occupancy_tiers[0].from_percent", "must be from 0 to 100"),
                ("occupancy_tiers[1].from_percent", "must be from 0 to 100"),
            ]),
        Case(
            "adjustments beyond −90 % and +300 %", rules(occupancy: [(70, 301)], leadTime: [(60, -91)]),
            [
                ("occupancy_tiers[0].adjust_percent", "must be from -90 to 300"),
                ("lead_time_tiers[0].adjust_percent", "must be from -90 to 300"),
            ]),
        Case(
            "within_minutes of 0 and over 30 days", rules(leadTime: [(0, -10), (43_201, -5)]),
            [
                ("lead_time_tiers[0].within_minutes", "must be from 1 to 43200"),
                ("lead_time_tiers[1].within_minutes", "must be from 1 to 43200"),
            ]),
        Case(
            "two tiers of a kind with one threshold", rules(occupancy: [(70, 10), (90, 25), (70, 15)]),
            [("occupancy_tiers[2].from_percent", "repeats 70; each tier needs its own threshold")]),
        Case(
            "two lead-time tiers with one window", rules(leadTime: [(180, -15), (180, -10)]),
            [("lead_time_tiers[1].within_minutes", "repeats 180; each tier needs its own threshold")]),
        Case(
            "eleven tiers", rules(occupancy: (0...10).map { ($0 * 10, $0) }),
            [("occupancy_tiers", "must have at most 10 tiers")]),
        Case(
            "eleven lead-time tiers", rules(leadTime: (1...11).map { ($0 * 60, -$0) }),
            [("lead_time_tiers", "must have at most 10 tiers")]),
        Case("min above max", rules(max: 10, min: 20), [("min_adjust_percent", "must be from -90 to 0")]),
        Case(
            "a clamp that would move a price with no tier", rules(max: -5, min: 5),
            [("max_adjust_percent", "must be from 0 to 300"), ("min_adjust_percent", "must be from -90 to 0")]),
        Case(
            "clamps beyond the adjustment bounds", rules(max: 301, min: -91),
            [("max_adjust_percent", "must be from 0 to 300"), ("min_adjust_percent", "must be from -90 to 0")]),
        Case(
            "every problem at once, in field order",
            rules(occupancy: [(150, 400), (150, 10)], leadTime: [(0, -100)], max: 500, min: 1),
            [
                ("occupancy_tiers[0].from_percent", "must be from 0 to 100"),
                ("occupancy_tiers[0].adjust_percent", "must be from -90 to 300"),
                ("occupancy_tiers[1].from_percent", "must be from 0 to 100"),
                ("occupancy_tiers[1].from_percent", "repeats 150; each tier needs its own threshold"),
                ("lead_time_tiers[0].within_minutes", "must be from 1 to 43200"),
                ("lead_time_tiers[0].adjust_percent", "must be from -90 to 300"),
                ("max_adjust_percent", "must be from 0 to 300"),
                ("min_adjust_percent", "must be from -90 to 0"),
            ]),
    ]

    @Test(arguments: cases)
    func refuses(_ bad: Case) {
        let expected = DemandPricingRulesError(problems: bad.errors.map { .init(field: $0.0, message: $0.1) })
        #expect(throws: expected) { try bad.rules.validate() }
    }

    @Test("Rules at every bound, and rules with no tiers, are accepted")
    func acceptsTheBounds() throws {
        try issueRules.validate()
        try wideRules.validate()
        try extremeRules.validate()
        try DemandPricingRules(maxAdjustPercent: 0, minAdjustPercent: 0).validate()
        try Self.rules(
            occupancy: (0..<10).map { ($0 * 11, $0 % 2 == 0 ? -90 : 300) },
            leadTime: [(1, -90), (43_200, 300)] + (2...9).map { ($0, 0) }, max: 300, min: -90
        ).validate()
    }

    @Test("The message names each field")
    func description() {
        let error = DemandPricingRulesError(problems: [
            .init(field: "occupancy_tiers[0].from_percent", message: "must be from 0 to 100"),
            .init(field: "max_adjust_percent", message: "must be from 0 to 300"),
        ])
        #expect(
            error.description
                == "The demand-pricing rules are invalid: occupancy_tiers[0].from_percent must be from 0 to 100; "
                + "max_adjust_percent must be from 0 to 300")
    }
}
