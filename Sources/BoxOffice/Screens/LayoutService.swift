import Fluent
import Rules
import Vapor

/// Builds or replaces a screen's whole seat grid in one transaction.
struct LayoutService: Sendable {
    let screens: ScreenService
    let clock: any AppClock

    func apply(_ request: LayoutRequest, to screenID: UUID, on db: any Database) async throws {
        try request.validate()
        _ = try await screens.requireScreen(screenID, on: db)
        let existing = try await Seat.query(on: db).filter(\.$screen.$id == screenID).filter(\.$retiredAt == nil)
            .count()
        if existing > 0 && request.replace != true {
            throw APIError.conflict(
                .layoutExists, "This screen already has seats; send \"replace\": true to replace them.")
        }
        if existing > 0, try await hasUpcomingBookings(screenID, on: db) {
            throw APIError.conflict(
                .layoutInUse, "A show still to come on this screen has bookings; the layout cannot be replaced.")
        }
        try await db.writeTransaction { tx in
            try await Screen.lock(screenID, at: clock.now(), on: tx)
            // Seats that past bookings name are retired, not deleted, so every ticket ever sold still has its seat.
            let referenced = try await BookingSeat.query(on: tx)
                .join(Seat.self, on: \BookingSeat.$seat.$id == \Seat.$id)
                .filter(Seat.self, \.$screen.$id == screenID)
                .all().map { $0.$seat.id }
            if !referenced.isEmpty {
                try await Seat.query(on: tx).filter(\.$id ~~ Set(referenced)).set(\.$retiredAt, to: clock.now())
                    .set(\.$isAvailable, to: false).update()
            }
            try await Seat.query(on: tx).filter(\.$screen.$id == screenID).filter(\.$retiredAt == nil).delete()
            let categories = try await upsertCategories(request.categories ?? [], screenID: screenID, on: tx)
            try await makeSeats(request.rows, categories: categories, screenID: screenID).create(on: tx)
        }
    }

    /// Whether a scheduled show still to come on the screen has a pending or confirmed booking.
    private func hasUpcomingBookings(_ screenID: UUID, on db: any Database) async throws -> Bool {
        let upcoming = try await Show.query(on: db).filter(\.$screen.$id == screenID).filter(\.$status == .scheduled)
            .filter(\.$startsAt > clock.now()).all(\.$id)
        guard !upcoming.isEmpty else { return false }
        return try await BookingSeat.query(on: db).filter(\.$showID ~~ upcoming).filter(\.$isActive == true).count() > 0
    }

    /// The screen's categories by name, after creating or re-pricing those the request names.
    private func upsertCategories(
        _ specs: [LayoutRequest.CategorySpec], screenID: UUID, on db: any Database
    ) async throws -> [String: UUID] {
        var byName: [String: SeatCategory] = [:]
        for category in try await SeatCategory.query(on: db).filter(\.$screen.$id == screenID).all() {
            byName[category.name.lowercased()] = category
        }
        for (index, spec) in specs.enumerated() {
            let name = spec.name.trimmed
            let category =
                byName[name.lowercased()]
                ?? SeatCategory(
                    screenID: screenID, name: name, basePriceMinor: spec.basePriceMinor, displayOrder: index)
            category.basePriceMinor = spec.basePriceMinor
            category.displayOrder = spec.displayOrder ?? index
            try await category.save(on: db)
            byName[name.lowercased()] = category
        }
        return try byName.mapValues { try $0.requireID() }
    }

    private func makeSeats(_ rows: [LayoutRequest.RowSpec], categories: [String: UUID], screenID: UUID) throws -> [Seat]
    {
        var seats: [Seat] = []
        var unknown: [FieldError] = []
        for (index, row) in rows.enumerated() {
            guard let categoryID = categories[row.category.trimmed.lowercased()] else {
                unknown.append(
                    FieldError(field: "rows[\(index)].category", message: "is not a category of this screen"))
                continue
            }
            let aisles = Set(row.aislesAfter ?? [])
            var column = 0
            for number in 1...row.seats {
                column += 1
                let kind: SeatKind =
                    row.wheelchair?.contains(number) == true
                    ? .wheelchair
                    : row.companion?.contains(number) == true
                        ? .companion
                        : row.blocked?.contains(number) == true ? .blocked : .standard
                seats.append(
                    Seat(
                        screenID: screenID, categoryID: categoryID, rowLabel: row.label, column: column,
                        label: "\(row.label)\(number)", kind: kind))
                if aisles.contains(number) { column += 1 }
            }
        }
        if !unknown.isEmpty { throw APIError.validation(unknown) }
        return seats
    }
}
