import Foundation
import Pricing

/// Where a show's demand-pricing rules come from: its own, the chain's default, or none (prices are the base prices).
enum PricingRulesSource: String, Codable, Sendable, CaseIterable {
    case show, chain, none
}

/// One seat category of a show as the show part keeps it: its base price there (nil: not priced at this show).
struct CategoryPricing: Sendable {
    var id: UUID
    var name: String
    var displayOrder: Int
    var basePriceMinor: Int?
}

/// One category's price now: the base price moved by demand (equal to it when the show has no rules).
struct CurrentCategoryPrice: Sendable {
    var category: CategoryPricing
    var priceMinor: Int?
    var adjustPercent: Int
}

extension SeatMapSnapshots.ShowPart {
    /// Each category's price with `occupied` of the `sellable` seats sold or held, at `now`. Without rules the price is
    /// the base price as it is; with rules it is `DemandPricingRules.price` (whole rupees), the one rule of issue 29.
    func currentPrices(occupied: Int, at now: Date) -> [CurrentCategoryPrice] {
        let seconds = Int(facts.startsAt.timeIntervalSince(now).rounded(.down))
        return categories.map { category in
            guard let base = category.basePriceMinor, let rules,
                let price = try? rules.price(
                    basePriceMinor: base, sold: occupied, sellable: sellable, secondsBeforeStart: seconds)
            else {
                return CurrentCategoryPrice(category: category, priceMinor: category.basePriceMinor, adjustPercent: 0)
            }
            return CurrentCategoryPrice(
                category: category, priceMinor: price.priceMinor, adjustPercent: price.adjustPercent)
        }
    }

    /// The sellable seats of the show that a booking (pending or confirmed) or a live hold has: demand's measure.
    func occupied(owners: [UUID: UUID], holds: [SeatHold]) -> Int {
        var seats = Set<UUID>()
        for seat in owners.keys { seats.insert(seat) }
        for hold in holds { seats.formUnion(hold.seatIds) }
        return seats.reduce(0) { count, seat in
            guard let index = layout.position[seat], layout.seats[index].isSellable else { return count }
            return count + 1
        }
    }

    /// The held seats' prices now, in the hold's order; nil if a seat's category has no price at this show.
    func seatPrices(_ seatIDs: [UUID], occupied: Int, at now: Date) -> [SeatHold.SeatPrice]? {
        let prices = Dictionary(
            currentPrices(occupied: occupied, at: now).map { ($0.category.id, $0) },
            uniquingKeysWith: { first, _ in first })
        var result: [SeatHold.SeatPrice] = []
        for seatID in seatIDs {
            guard let index = layout.position[seatID],
                let price = prices[layout.seats[index].categoryId], let minor = price.priceMinor,
                let base = price.category.basePriceMinor
            else { return nil }
            result.append(SeatHold.SeatPrice(seatId: seatID, priceMinor: minor, basePriceMinor: base))
        }
        return result
    }

    /// `"categories":[…]` of the seat map with the prices of now, for a show with rules (one without keeps the JSON
    /// written with its show part).
    func categoriesJSON(occupied: Int, at now: Date) throws -> [UInt8] {
        Array(
            try JSONEncoder.api.encode(
                currentPrices(occupied: occupied, at: now).map {
                    AvailabilityResponse.Category(
                        id: $0.category.id, name: $0.category.name, displayOrder: $0.category.displayOrder,
                        priceMinor: $0.priceMinor, basePriceMinor: $0.category.basePriceMinor)
                }))
    }
}
