import Fluent
import Vapor

/// Seat categories and single seats. Whole grids go through `LayoutService`.
struct SeatService: Sendable {
    func createCategory(_ request: SeatCategoryRequest, on db: any Database) async throws -> SeatCategory {
        try request.validate()
        guard try await Screen.find(request.screenId, on: db) != nil else {
            throw APIError.validation(field: "screen_id", "does not name a screen")
        }
        let category = SeatCategory(
            screenID: request.screenId, name: request.name.trimmed,
            basePriceMinor: request.basePriceMinor, displayOrder: request.displayOrder ?? 0)
        try await saveMappingConflicts(
            category, on: db, .seatCategoriesScreenName,
            detail: "This screen already has a category named \(category.name).")
        return category
    }

    func updateCategory(_ id: UUID, _ request: UpdateSeatCategoryRequest, on db: any Database) async throws
        -> SeatCategory
    {
        try request.validate()
        let category = try await requireCategory(id, on: db)
        if let name = request.name { category.name = name.trimmed }
        if let price = request.basePriceMinor { category.basePriceMinor = price }
        if let order = request.displayOrder { category.displayOrder = order }
        try await saveMappingConflicts(
            category, on: db, .seatCategoriesScreenName,
            detail: "This screen already has a category named \(category.name).")
        return category
    }

    func deleteCategory(_ id: UUID, on db: any Database) async throws {
        let category = try await requireCategory(id, on: db)
        let seats = try await Seat.query(on: db).filter(\.$category.$id == id).filter(\.$retiredAt == nil).count()
        let prices = try await ShowCategoryPrice.query(on: db).filter(\.$category.$id == id).count()
        guard seats == 0 && prices == 0 else {
            throw APIError.conflict(.categoryInUse, "Seats or show prices use this category.")
        }
        try await category.delete(on: db)
    }

    func requireCategory(_ id: UUID, on db: any Database) async throws -> SeatCategory {
        guard let category = try await SeatCategory.find(id, on: db) else { throw APIError.notFound("Seat category") }
        return category
    }

    func createSeat(_ request: CreateSeatRequest, on db: any Database) async throws -> Seat {
        try request.validate()
        try await ensureCategory(request.categoryId, belongsTo: request.screenId, on: db)
        let seat = Seat(
            screenID: request.screenId, categoryID: request.categoryId, rowLabel: request.rowLabel,
            column: request.column, label: request.label?.trimmed ?? "\(request.rowLabel)\(request.column)",
            kind: request.kind ?? .standard, isAvailable: request.isAvailable ?? true)
        try await saveMappingConflicts(
            seat, on: db, .seatsScreenLabel, .seatsScreenPosition,
            detail: "This screen already has a seat labelled \(seat.label) or at that position.")
        return seat
    }

    func updateSeat(_ id: UUID, _ request: UpdateSeatRequest, on db: any Database) async throws -> Seat {
        try request.validate()
        let seat = try await requireSeat(id, on: db)
        if let categoryID = request.categoryId {
            try await ensureCategory(categoryID, belongsTo: seat.$screen.id, on: db)
            seat.$category.id = categoryID
        }
        if let kind = request.kind { seat.kind = kind }
        if let available = request.isAvailable { seat.isAvailable = available }
        if let label = request.label { seat.label = label.trimmed }
        try await saveMappingConflicts(
            seat, on: db, .seatsScreenLabel, .seatsScreenPosition,
            detail: "This screen already has a seat labelled \(seat.label).")
        return seat
    }

    func deleteSeat(_ id: UUID, on db: any Database) async throws {
        let seat = try await requireSeat(id, on: db)
        try await Constraint.mapping(.bookingSeatsSeat) { try await seat.delete(on: db) }
    }

    func requireSeat(_ id: UUID, on db: any Database) async throws -> Seat {
        guard let seat = try await Seat.find(id, on: db) else { throw APIError.notFound("Seat") }
        return seat
    }

    /// 422 unless the category exists and is one of this screen's.
    private func ensureCategory(_ categoryID: UUID, belongsTo screenID: UUID, on db: any Database) async throws {
        guard try await Screen.find(screenID, on: db) != nil else {
            throw APIError.validation(field: "screen_id", "does not name a screen")
        }
        guard let category = try await SeatCategory.find(categoryID, on: db), category.$screen.id == screenID else {
            throw APIError.validation(field: "category_id", "is not a category of this screen")
        }
    }
}
