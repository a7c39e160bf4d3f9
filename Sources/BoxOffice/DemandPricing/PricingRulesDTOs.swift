import Foundation
import Pricing
import Vapor

/// `PUT /shows/{id}/pricing-rules` and `PUT /pricing-rules`. Tiers default to none; the bounds default to the widest
/// the rules allow (−90 % … +300 %), so only the tiers limit the adjustment.
struct PricingRulesRequest: Content {
    var occupancyTiers: [DemandPricingRules.OccupancyTier]?
    var leadTimeTiers: [DemandPricingRules.LeadTimeTier]?
    var maxAdjustPercent: Int?
    var minAdjustPercent: Int?

    var rules: DemandPricingRules {
        DemandPricingRules(
            occupancyTiers: occupancyTiers ?? [], leadTimeTiers: leadTimeTiers ?? [],
            maxAdjustPercent: maxAdjustPercent ?? DemandPricingRules.maxAdjustPercentBounds.upperBound,
            minAdjustPercent: minAdjustPercent ?? DemandPricingRules.minAdjustPercentBounds.lowerBound)
    }
}

/// A set of demand-pricing rules as stored: whose they are and when they were last set.
struct PricingRulesResponse: Content {
    /// `show` (one show's own) or `chain` (the default for shows without their own).
    var scope: PricingRulesSource
    var showId: UUID?
    var occupancyTiers: [DemandPricingRules.OccupancyTier]
    var leadTimeTiers: [DemandPricingRules.LeadTimeTier]
    var maxAdjustPercent: Int
    var minAdjustPercent: Int
    var updatedAt: Date

    init(_ row: PricingRuleSet) throws {
        let rules = try row.rules.inDisplayOrder
        scope = row.$show.id == nil ? .chain : .show
        showId = row.$show.id
        occupancyTiers = rules.occupancyTiers
        leadTimeTiers = rules.leadTimeTiers
        maxAdjustPercent = rules.maxAdjustPercent
        minAdjustPercent = rules.minAdjustPercent
        updatedAt = row.updatedAt
    }
}

/// `GET /shows/{id}/pricing`, for staff: the rules in force, how full the show is, and each category's price now.
struct ShowPricingResponse: Content {
    var showId: UUID
    var rulesSource: PricingRulesSource
    var rules: Rules?
    var occupancy: Occupancy
    /// Whole minutes from now to the start (negative once it started): what the lead-time tiers look at.
    var minutesBeforeStart: Int
    var categories: [Category]
    var at: Date

    struct Rules: Content {
        var occupancyTiers: [DemandPricingRules.OccupancyTier]
        var leadTimeTiers: [DemandPricingRules.LeadTimeTier]
        var maxAdjustPercent: Int
        var minAdjustPercent: Int
    }

    struct Occupancy: Content {
        /// Sellable seats that a pending or confirmed booking or a live hold has.
        var occupied: Int
        var sellable: Int
        /// `occupied ÷ sellable` in whole percent, rounded down (0 with no sellable seats).
        var percent: Int
    }

    struct Category: Content {
        var categoryId: UUID
        var name: String
        var displayOrder: Int
        var basePriceMinor: Int?
        var priceMinor: Int?
        var adjustPercent: Int
    }

    init(_ quote: DemandPricingService.Quote) {
        let part = quote.part
        showId = part.facts.id
        rulesSource = part.rulesSource
        rules = part.rules.map(\.inDisplayOrder).map {
            Rules(
                occupancyTiers: $0.occupancyTiers, leadTimeTiers: $0.leadTimeTiers,
                maxAdjustPercent: $0.maxAdjustPercent, minAdjustPercent: $0.minAdjustPercent)
        }
        occupancy = Occupancy(
            occupied: quote.occupied, sellable: part.sellable,
            percent: part.sellable == 0 ? 0 : quote.occupied * 100 / part.sellable)
        minutesBeforeStart = Int((part.facts.startsAt.timeIntervalSince(quote.at) / 60).rounded(.down))
        categories = quote.prices.map {
            Category(
                categoryId: $0.category.id, name: $0.category.name, displayOrder: $0.category.displayOrder,
                basePriceMinor: $0.category.basePriceMinor, priceMinor: $0.priceMinor, adjustPercent: $0.adjustPercent)
        }
        at = quote.at
    }
}

extension DemandPricingRules {
    /// As answers show them: occupancy tiers from the emptiest, lead-time tiers from the furthest out.
    var inDisplayOrder: DemandPricingRules {
        var rules = self
        rules.occupancyTiers.sort { $0.fromPercent < $1.fromPercent }
        rules.leadTimeTiers.sort { $0.withinMinutes > $1.withinMinutes }
        return rules
    }
}
