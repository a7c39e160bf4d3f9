import Fluent
import Foundation

/// One GST slab: the CGST and SGST rates of a GST category (`ticket`, or a food category's `gst_category`)
/// for undiscounted unit prices from `min_price_minor` to `max_price_minor`, both inclusive (nil = open).
final class GSTRate: Model, @unchecked Sendable {
    static let schema = "gst_rates"

    @ID(key: .id) var id: UUID?
    /// Lower-cased, e.g. `ticket` or `food`.
    @Field(key: "category") var category: String
    @Field(key: "cgst_bp") var cgstBasisPoints: Int
    @Field(key: "sgst_bp") var sgstBasisPoints: Int
    @OptionalField(key: "min_price_minor") var minPriceMinor: Int?
    @OptionalField(key: "max_price_minor") var maxPriceMinor: Int?
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?
    @Timestamp(key: "updated_at", on: .update) var updatedAt: Date?

    init() {}

    /// GST categories are compared lower-cased and trimmed: `Food ` is `food`.
    static func normalizedCategory(_ raw: String) -> String {
        raw.trimmingCharacters(in: .whitespacesAndNewlines).lowercased()
    }

    /// Whether this slab's price range shares at least one price with `[min, max]` (nil = open).
    func overlaps(min: Int?, max: Int?) -> Bool {
        (minPriceMinor ?? Int.min) <= (max ?? Int.max) && (min ?? Int.min) <= (maxPriceMinor ?? Int.max)
    }
}
