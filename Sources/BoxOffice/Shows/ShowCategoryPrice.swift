import Fluent
import Foundation

/// The price of one seat category at one show.
final class ShowCategoryPrice: Model, @unchecked Sendable {
    static let schema = "show_category_prices"

    @ID(key: .id) var id: UUID?
    @Parent(key: "show_id") var show: Show
    @Parent(key: "category_id") var category: SeatCategory
    @Field(key: "price_minor") var priceMinor: Int
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?
    @Timestamp(key: "updated_at", on: .update) var updatedAt: Date?

    init() {}

    init(id: UUID? = nil, showID: UUID, categoryID: UUID, priceMinor: Int) {
        self.id = id
        self.$show.id = showID
        self.$category.id = categoryID
        self.priceMinor = priceMinor
    }
}
