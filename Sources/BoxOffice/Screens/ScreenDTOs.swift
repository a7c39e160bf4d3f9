import Rules
import Vapor

struct CreateScreenRequest: Content {
    var name: String
    var screenType: String
    var isAvailable: Bool?

    func validate() throws {
        var checks = FieldChecks()
        checks.text(name, "name", max: 100)
        checks.text(screenType, "screen_type", max: 40)
        try checks.throwIfAny()
    }
}

struct UpdateScreenRequest: Content {
    var name: String?
    var screenType: String?
    var isAvailable: Bool?

    func validate() throws {
        var checks = FieldChecks()
        if let name { checks.text(name, "name", max: 100) }
        if let screenType { checks.text(screenType, "screen_type", max: 40) }
        try checks.throwIfAny()
    }
}

struct ScreenResponse: Content {
    var id: UUID
    var name: String
    var screenType: String
    var isAvailable: Bool
    /// Seats a customer can buy (not blocked, in service).
    var capacity: Int
    var totalSeats: Int
    var categories: [CategoryCount]
    var kinds: [String: Int]

    struct CategoryCount: Content {
        var categoryId: UUID
        var name: String
        var basePriceMinor: Int
        var displayOrder: Int
        var seats: Int
    }
}

struct SeatCategoryRequest: Content {
    var screenId: UUID
    var name: String
    var basePriceMinor: Int
    var displayOrder: Int?

    func validate() throws {
        var checks = FieldChecks()
        checks.text(name, "name", max: 60)
        checks.money(basePriceMinor, "base_price_minor")
        try checks.throwIfAny()
    }
}

struct UpdateSeatCategoryRequest: Content {
    var name: String?
    var basePriceMinor: Int?
    var displayOrder: Int?

    func validate() throws {
        var checks = FieldChecks()
        if let name { checks.text(name, "name", max: 60) }
        if let basePriceMinor { checks.money(basePriceMinor, "base_price_minor") }
        try checks.throwIfAny()
    }
}

struct SeatCategoryResponse: Content {
    var id: UUID
    var screenId: UUID
    var name: String
    var basePriceMinor: Int
    var displayOrder: Int

    init(_ category: SeatCategory) throws {
        id = try category.requireID()
        screenId = category.$screen.id
        name = category.name
        basePriceMinor = category.basePriceMinor
        displayOrder = category.displayOrder
    }
}

struct CreateSeatRequest: Content {
    var screenId: UUID
    var categoryId: UUID
    var rowLabel: String
    var column: Int
    var label: String?
    var kind: SeatKind?
    var isAvailable: Bool?

    func validate() throws {
        var checks = FieldChecks()
        checks.rowLabel(rowLabel)
        checks.require((1...200).contains(column), "column", "must be from 1 to 200")
        if let label { checks.text(label, "label", max: 10) }
        try checks.throwIfAny()
    }
}

struct UpdateSeatRequest: Content {
    var categoryId: UUID?
    var kind: SeatKind?
    var isAvailable: Bool?
    var label: String?

    func validate() throws {
        var checks = FieldChecks()
        if let label { checks.text(label, "label", max: 10) }
        try checks.throwIfAny()
    }
}

struct SeatResponse: Content {
    var id: UUID
    var screenId: UUID
    var categoryId: UUID
    var rowLabel: String
    var column: Int
    var label: String
    var kind: SeatKind
    var isAvailable: Bool

    init(_ seat: Seat) throws {
        id = try seat.requireID()
        screenId = seat.$screen.id
        categoryId = seat.$category.id
        rowLabel = seat.rowLabel
        column = seat.column
        label = seat.label
        kind = seat.kind
        isAvailable = seat.isAvailable
    }
}
