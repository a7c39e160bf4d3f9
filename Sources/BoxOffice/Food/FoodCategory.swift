import Fluent
import Foundation

/// A menu section (Snacks, Beverages…) and the GST category its items are taxed under.
final class FoodCategory: Model, @unchecked Sendable {
    static let schema = "food_categories"

    @ID(key: .id) var id: UUID?
    @Field(key: "name") var name: String
    /// Lower-cased name: unique, so `Snacks` and `snacks` cannot both exist.
    @Field(key: "name_key") var nameKey: String
    /// Lower-cased GST category, e.g. `food`, looked up in `gst_rates`.
    @Field(key: "gst_category") var gstCategory: String
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?
    @Timestamp(key: "updated_at", on: .update) var updatedAt: Date?

    init() {}
}
