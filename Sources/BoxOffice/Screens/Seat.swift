import Fluent
import Foundation
import Rules

final class Seat: Model, @unchecked Sendable {
    static let schema = "seats"

    @ID(key: .id) var id: UUID?
    @Parent(key: "screen_id") var screen: Screen
    @Parent(key: "category_id") var category: SeatCategory
    @Field(key: "row_label") var rowLabel: String
    /// 1-based position in the row, counting gaps, so aisles keep their width on the seat map.
    @Field(key: "column_number") var column: Int
    /// What is printed on the seat and the ticket, e.g. `C7`.
    @Field(key: "label") var label: String
    @Field(key: "kind") var kind: SeatKind
    @Field(key: "is_available") var isAvailable: Bool
    /// Set when a layout replacement removed a seat that past bookings still name: kept for history,
    /// invisible everywhere else, and out of the way of the new grid's labels and positions.
    @OptionalField(key: "retired_at") var retiredAt: Date?

    init() {}

    init(
        id: UUID? = nil, screenID: UUID, categoryID: UUID, rowLabel: String, column: Int, label: String,
        kind: SeatKind = .standard, isAvailable: Bool = true
    ) {
        self.id = id
        self.$screen.id = screenID
        self.$category.id = categoryID
        self.rowLabel = rowLabel
        self.column = column
        self.label = label
        self.kind = kind
        self.isAvailable = isAvailable
    }

    /// A seat a customer can buy: not blocked and not taken out of service.
    var isSellable: Bool { isAvailable && kind != .blocked }
}
