import Fluent
import FluentSQL
import Vapor

/// GST slabs per category, and the lookup bookings use to tax a line.
struct GSTService: Sendable {
    func list(category: String?, page: PageRequest, on db: any Database) async throws -> Page<GSTRateResponse> {
        let query = GSTRate.query(on: db)
        if let category { query.filter(\.$category == GSTRate.normalizedCategory(category)) }
        // Within a category, slabs in price order: the open lower bound first.
        return try await query.sort(\.$category).sort(.sql(embed: "\(ident: "min_price_minor") IS NOT NULL"))
            .sort(\.$minPriceMinor).sort(\.$id).page(page, map: GSTRateResponse.init)
    }

    func require(_ id: UUID, on db: any Database) async throws -> GSTRate {
        guard let rate = try await GSTRate.find(id, on: db) else { throw APIError.notFound("GST rate") }
        return rate
    }

    func create(_ request: CreateGSTRateRequest, on db: any Database) async throws -> GSTRate {
        try await save(request, to: GSTRate(), on: db)
    }

    func replace(_ id: UUID, with request: CreateGSTRateRequest, on db: any Database) async throws -> GSTRate {
        try await save(request, to: try await require(id, on: db), on: db)
    }

    func delete(_ id: UUID, on db: any Database) async throws {
        try await require(id, on: db).delete(on: db)
    }

    /// The slab of `category` whose price range holds `unitPriceMinor` (the undiscounted unit price), if any.
    func rate(for category: String, unitPriceMinor: Int, on db: any Database) async throws -> GSTRate? {
        try await GSTRate.query(on: db)
            .filter(\.$category == GSTRate.normalizedCategory(category))
            .group(.or) { $0.filter(\.$minPriceMinor == nil).filter(\.$minPriceMinor <= unitPriceMinor) }
            .group(.or) { $0.filter(\.$maxPriceMinor == nil).filter(\.$maxPriceMinor >= unitPriceMinor) }
            .sort(\.$id)
            .first()
    }

    /// Slabs of one category never share a price, so `rate(for:unitPriceMinor:on:)` has one answer.
    /// (Two admins racing to add overlapping slabs can both pass; GST is edited rarely, by few people.)
    private func save(_ request: CreateGSTRateRequest, to rate: GSTRate, on db: any Database) async throws -> GSTRate {
        try request.validate()
        let category = GSTRate.normalizedCategory(request.category)
        let query = GSTRate.query(on: db).filter(\.$category == category)
        if let id = rate.id { query.filter(\.$id != id) }
        if let clash = try await query.all().first(where: {
            $0.overlaps(min: request.minPriceMinor, max: request.maxPriceMinor)
        }) {
            throw APIError.conflict(
                .gstSlabOverlap,
                "The price range overlaps the \(category) slab \(Self.describe(clash)) (id \(clash.id?.uuidString ?? "?"))."
            )
        }
        rate.category = category
        rate.cgstBasisPoints = request.cgst.basisPoints
        rate.sgstBasisPoints = request.sgst.basisPoints
        rate.minPriceMinor = request.minPriceMinor
        rate.maxPriceMinor = request.maxPriceMinor
        try await rate.save(on: db)
        return rate
    }

    private static func describe(_ rate: GSTRate) -> String {
        "\(rate.minPriceMinor.map(String.init) ?? "open")…\(rate.maxPriceMinor.map(String.init) ?? "open")"
    }
}
