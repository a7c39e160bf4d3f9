import Fluent
import Foundation
import Pricing

/// Demand-pricing rules as an admin set them: one row for the whole chain (`scope` "chain") and at most one per show
/// (`scope` the show's id), which wins over the chain's for that show.
final class PricingRuleSet: Model, @unchecked Sendable {
    static let schema = "pricing_rules"
    static let chainScope = "chain"

    @ID(key: .id) var id: UUID?
    /// "chain", or the show's id: unique, so a show has one set and the chain one.
    @Field(key: "scope") var scope: String
    @OptionalParent(key: "show_id") var show: Show?
    /// `DemandPricingRules` as JSON (text, so backups and both databases keep it byte for byte).
    @Field(key: "rules") var rulesJSON: String
    @Field(key: "updated_at") var updatedAt: Date

    init() {}

    init(showID: UUID?, rules: DemandPricingRules, at now: Date) throws {
        scope = showID?.uuidString ?? Self.chainScope
        $show.id = showID
        rulesJSON = String(decoding: try JSONEncoder().encode(rules), as: UTF8.self)
        updatedAt = now
    }

    var rules: DemandPricingRules {
        get throws { try JSONDecoder().decode(DemandPricingRules.self, from: Data(rulesJSON.utf8)) }
    }
}
