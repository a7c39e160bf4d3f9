import Fluent
import Pricing
import Vapor

/// Demand pricing around the pure rules of `Pricing.DemandPricingRules`: the rules an admin sets (per show, and a
/// chain-wide default), and a show's prices now, from its snapshot, its booked seats and its live holds.
struct DemandPricingService: Sendable {
    let holds: HoldService
    let clock: any AppClock

    /// A show's prices at this moment, and what they were worked out from.
    struct Quote: Sendable {
        var part: SeatMapSnapshots.ShowPart
        var occupied: Int
        var prices: [CurrentCategoryPrice]
        var at: Date
    }

    /// The show's prices now; a 404 when there is no such show. `alwaysCountSeats` false skips counting the booked
    /// and held seats of a show without rules (its prices do not depend on them), so a show's page is read without
    /// the hold store, as it was before demand pricing (and still works while Redis is down).
    func quote(_ showID: UUID, alwaysCountSeats: Bool = true, on db: any Database) async throws -> Quote {
        let part = try await holds.snapshots.showPart(showID, on: db)
        let now = clock.now()
        let occupied =
            part.rules == nil && !alwaysCountSeats
            ? 0
            : part.occupied(
                owners: try await holds.snapshots.bookedOwners(showID, on: db),
                holds: try await holds.store.holds(forShow: showID))
        return Quote(part: part, occupied: occupied, prices: part.currentPrices(occupied: occupied, at: now), at: now)
    }

    /// The rules set for `showID` (nil: the chain's default), or nil when none are.
    func rules(for showID: UUID?, on db: any Database) async throws -> PricingRuleSet? {
        try await PricingRuleSet.query(on: db).filter(\.$scope == (showID?.uuidString ?? PricingRuleSet.chainScope))
            .first()
    }

    /// Sets (or replaces) the rules of a show, or the chain's default when `showID` is nil.
    func set(_ request: PricingRulesRequest, for showID: UUID?, on db: any Database) async throws -> PricingRuleSet {
        if let showID, try await Show.find(showID, on: db) == nil { throw APIError.notFound("Show") }
        let rules = request.rules
        do {
            try rules.validate()
        } catch {
            throw APIError.validation(error.problems.map { FieldError(field: $0.field, message: $0.message) })
        }
        let row = try PricingRuleSet(showID: showID, rules: rules, at: clock.now())
        return try await db.transaction { tx in
            try await PricingRuleSet.query(on: tx).filter(\.$scope == row.scope).delete()
            try await row.create(on: tx)
            return row
        }
    }

    /// Removes a show's rules (it falls back to the chain's) or the chain's; a 404 when there were none.
    func clear(for showID: UUID?, on db: any Database) async throws {
        guard let row = try await rules(for: showID, on: db) else { throw APIError.notFound("Pricing rules") }
        try await row.delete(on: db)
    }
}
