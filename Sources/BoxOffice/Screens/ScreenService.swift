import Fluent
import Rules
import SQLKit
import Vapor

/// Screens and their seat categories and seats.
struct ScreenService: Sendable {
    func create(_ request: CreateScreenRequest, on db: any Database) async throws -> Screen {
        try request.validate()
        let screen = Screen(
            name: request.name.trimmed, screenType: request.screenType.trimmed,
            isAvailable: request.isAvailable ?? true)
        try await ensureUniqueName(screen.name, excluding: nil, on: db)
        try await saveMappingConflicts(screen, on: db, .screensName)
        return screen
    }

    func update(_ id: UUID, _ request: UpdateScreenRequest, on db: any Database) async throws -> Screen {
        try request.validate()
        let screen = try await requireScreen(id, on: db)
        if let name = request.name?.trimmed {
            try await ensureUniqueName(name, excluding: id, on: db)
            screen.name = name
        }
        if let type = request.screenType { screen.screenType = type.trimmed }
        if let available = request.isAvailable { screen.isAvailable = available }
        try await saveMappingConflicts(screen, on: db, .screensName)
        return screen
    }

    func delete(_ id: UUID, on db: any Database) async throws {
        let screen = try await requireScreen(id, on: db)
        guard try await Show.query(on: db).filter(\.$screen.$id == id).count() == 0 else {
            throw APIError.conflict(.screenHasShows, "This screen has shows; mark it unavailable instead.")
        }
        try await screen.delete(on: db)
    }

    func requireScreen(_ id: UUID, on db: any Database) async throws -> Screen {
        guard let screen = try await Screen.find(id, on: db) else { throw APIError.notFound("Screen") }
        return screen
    }

    /// Capacity and counts per category and kind for each screen, from one grouped query.
    func summaries(_ screens: [Screen], on db: any Database) async throws -> [ScreenResponse] {
        let ids = try screens.map { try $0.requireID() }
        guard !ids.isEmpty else { return [] }
        let categories = try await SeatCategory.query(on: db).filter(\.$screen.$id ~~ ids)
            .sort(\.$displayOrder).sort(\.$name).all()
        let sql = try db.sql()
        let rows = try await sql.select()
            .column("screen_id").column("category_id").column("kind").column("is_available")
            .column(SQLFunction("COUNT", args: SQLLiteral.all), as: "seat_count")
            .from(Seat.schema)
            .where("screen_id", .in, ids)
            .where("retired_at", .is, SQLLiteral.null)
            .groupBy("screen_id").groupBy("category_id").groupBy("kind").groupBy("is_available")
            .all()
        struct Group { var screen: UUID; var category: UUID; var kind: SeatKind; var available: Bool; var count: Int }
        let groups = try rows.map { row in
            Group(
                screen: try row.decode(column: "screen_id", as: UUID.self),
                category: try row.decode(column: "category_id", as: UUID.self),
                kind: SeatKind(rawValue: try row.decode(column: "kind", as: String.self)) ?? .standard,
                available: try row.decode(column: "is_available", as: Bool.self),
                count: try row.decode(column: "seat_count", as: Int.self))
        }
        return try screens.map { screen in
            let id = try screen.requireID()
            let mine = groups.filter { $0.screen == id }
            var kinds = Dictionary(uniqueKeysWithValues: SeatKind.allCases.map { ($0.rawValue, 0) })
            for group in mine { kinds[group.kind.rawValue, default: 0] += group.count }
            return ScreenResponse(
                id: id, name: screen.name, screenType: screen.screenType, isAvailable: screen.isAvailable,
                capacity: mine.filter { $0.available && $0.kind != .blocked }.reduce(0) { $0 + $1.count },
                totalSeats: mine.reduce(0) { $0 + $1.count },
                categories: try categories.filter { $0.$screen.id == id }.map { category in
                    let categoryID = try category.requireID()
                    return .init(
                        categoryId: categoryID, name: category.name, basePriceMinor: category.basePriceMinor,
                        displayOrder: category.displayOrder,
                        seats: mine.filter { $0.category == categoryID }.reduce(0) { $0 + $1.count })
                },
                kinds: kinds)
        }
    }

    private func ensureUniqueName(_ name: String, excluding id: UUID?, on db: any Database) async throws {
        let query = Screen.query(on: db).filter(\.$name == name)
        if let id { query.filter(\.$id != id) }
        if try await query.count() > 0 {
            throw APIError.conflict(.screenNameTaken, "A screen named \(name) already exists.")
        }
    }
}

extension Screen {
    /// Writes the screen's row as the first statement of a transaction: a row lock on PostgreSQL and the write
    /// lock on SQLite, so scheduling and layout changes on one screen happen one at a time.
    static func lock(_ id: UUID, at now: Date, on db: any Database) async throws {
        let sql = try db.sql()
        try await sql.update(Screen.schema).set("updated_at", to: now).where("id", .equal, id).run()
    }
}
