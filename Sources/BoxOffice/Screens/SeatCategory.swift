import Fluent
import Foundation

/// A price band of one screen (Recliner, Premium, Classic…). Its base price seeds each new show's price.
final class SeatCategory: Model, @unchecked Sendable {
    static let schema = "seat_categories"

    @ID(key: .id) var id: UUID?
    @Parent(key: "screen_id") var screen: Screen
    @Field(key: "name") var name: String
    @Field(key: "base_price_minor") var basePriceMinor: Int
    @Field(key: "display_order") var displayOrder: Int
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?

    init() {}

    init(id: UUID? = nil, screenID: UUID, name: String, basePriceMinor: Int, displayOrder: Int) {
        self.id = id
        self.$screen.id = screenID
        self.name = name
        self.basePriceMinor = basePriceMinor
        self.displayOrder = displayOrder
    }
}
