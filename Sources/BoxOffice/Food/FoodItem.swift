import Fluent
import Foundation

final class FoodItem: Model, @unchecked Sendable {
    static let schema = "food_items"

    @ID(key: .id) var id: UUID?
    @Field(key: "name") var name: String
    /// Lower-cased name, for case-insensitive search on every database.
    @Field(key: "name_search") var nameSearch: String
    @Field(key: "description") var description: String
    @Field(key: "price_minor") var priceMinor: Int
    @Parent(key: "category_id") var category: FoodCategory
    @Field(key: "is_veg") var isVeg: Bool
    @Field(key: "is_available") var isAvailable: Bool
    @OptionalField(key: "image_url") var imageURL: String?
    /// Units left; nil means stock is not tracked.
    @OptionalField(key: "stock") var stock: Int?
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?
    @Timestamp(key: "updated_at", on: .update) var updatedAt: Date?

    init() {}
}
