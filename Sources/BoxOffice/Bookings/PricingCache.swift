import Fluent
import Foundation
import Pricing

/// What a booking is priced from, kept per catalog version as the seat map's show part is: the GST rules, and each
/// show's price and category name per seat category. Prices, categories and GST change only through admin writes,
/// which move the catalog version (here and, through `Freshness`, on other instances), so a booking never prices
/// from rules older than the last admin write it could know of. Three Fluent reads less per booking (issue 26).
final class PricingCache: Sendable {
    struct CategoryPrice: Sendable {
        var categoryName: String
        var priceMinor: Int
    }

    private let freshness: Freshness
    private let rules: VersionedCache<Int, [GSTRule]>
    private let prices: VersionedCache<UUID, [UUID: CategoryPrice]>

    init(freshness: Freshness, lifetime: Duration = .seconds(30)) {
        self.freshness = freshness
        self.rules = VersionedCache(lifetime: lifetime, capacity: 1)
        self.prices = VersionedCache(lifetime: lifetime, capacity: 4096)
    }

    func gstRules(on db: any Database) async throws -> [GSTRule] {
        try await rules.value(0, version: freshness.version(.catalog)) {
            try await GSTRate.query(on: db).all().map {
                GSTRule(
                    category: $0.category, cgstBasisPoints: $0.cgstBasisPoints, sgstBasisPoints: $0.sgstBasisPoints,
                    minUnitPrice: $0.minPriceMinor, maxUnitPrice: $0.maxPriceMinor)
            }
        }
    }

    /// The show's prices by seat category id.
    func prices(of showID: UUID, on db: any Database) async throws -> [UUID: CategoryPrice] {
        try await prices.value(showID, version: freshness.version(.catalog)) {
            let rows = try await ShowCategoryPrice.query(on: db).filter(\.$show.$id == showID).with(\.$category).all()
            return Dictionary(
                rows.map {
                    ($0.$category.id, CategoryPrice(categoryName: $0.category.name, priceMinor: $0.priceMinor))
                },
                uniquingKeysWith: { first, _ in first })
        }
    }
}
