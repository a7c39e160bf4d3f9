import Fluent
import Vapor

/// `/show-category-pricing`: one price per show and seat category. New shows start from the base prices.
struct ShowPricingController: RouteCollection {
    let context: RouteContext

    func boot(routes: any RoutesBuilder) throws {
        let (open, _, admin) = context.routes(routes, "show-category-pricing", tag: "Pricing")
        open.on(
            .GET, summary: "List show prices", response: .page(of: ShowPriceResponse.self),
            query: APIDoc.QueryParameter.paging + ShowScopedQuery.parameters, use: index)
        open.on(.GET, ":id", summary: "One show price", response: .of(ShowPriceResponse.self), use: show)
        admin.on(
            .POST, summary: "Price a category at a show", body: .of(ShowPriceRequest.self), status: .created,
            response: .of(ShowPriceResponse.self), errors: [.conflict], use: create)
        for method in [HTTPMethod.PUT, .PATCH] {
            admin.on(
                method, ":id", summary: "Change a show price", body: .of(UpdateShowPriceRequest.self),
                response: .of(ShowPriceResponse.self), use: update)
        }
        admin.on(.DELETE, ":id", summary: "Remove a show price", status: .noContent, use: delete)
    }

    @Sendable func index(req: Request) async throws -> Page<ShowPriceResponse> {
        let query = ShowCategoryPrice.query(on: req.db).sort(\.$show.$id).sort(\.$priceMinor).sort(\.$id)
        if let showID = try req.query(ShowScopedQuery.self).showID { query.filter(\.$show.$id == showID) }
        return try await query.page(try PageRequest(from: req), map: ShowPriceResponse.init)
    }

    @Sendable func show(req: Request) async throws -> ShowPriceResponse {
        try ShowPriceResponse(try await require(req))
    }

    @Sendable func create(req: Request) async throws -> Created<ShowPriceResponse> {
        let body = try req.content.decode(ShowPriceRequest.self)
        var checks = FieldChecks()
        checks.money(body.priceMinor, "price_minor")
        try checks.throwIfAny()
        guard let show = try await Show.find(body.showId, on: req.db) else {
            throw APIError.validation(field: "show_id", "does not name a show")
        }
        guard let category = try await SeatCategory.find(body.categoryId, on: req.db),
            category.$screen.id == show.$screen.id
        else {
            throw APIError.validation(field: "category_id", "is not a seat category of the show's screen")
        }
        let existing = try await ShowCategoryPrice.query(on: req.db)
            .filter(\.$show.$id == body.showId).filter(\.$category.$id == body.categoryId).count()
        guard existing == 0 else {
            throw APIError.conflict(
                .priceExists, "This show already has a price for that category; change it instead.")
        }
        let price = ShowCategoryPrice(showID: body.showId, categoryID: body.categoryId, priceMinor: body.priceMinor)
        try await saveMappingConflicts(
            price, on: req.db, .showCategoryPrices,
            detail: "This show already has a price for that category.")
        return Created(try ShowPriceResponse(price))
    }

    @Sendable func update(req: Request) async throws -> ShowPriceResponse {
        let price = try await require(req)
        let body = try req.content.decode(UpdateShowPriceRequest.self)
        var checks = FieldChecks()
        checks.money(body.priceMinor, "price_minor")
        try checks.throwIfAny()
        price.priceMinor = body.priceMinor
        try await price.save(on: req.db)
        return try ShowPriceResponse(price)
    }

    @Sendable func delete(req: Request) async throws -> HTTPStatus {
        try await require(req).delete(on: req.db)
        return .noContent
    }

    private func require(_ req: Request) async throws -> ShowCategoryPrice {
        guard let price = try await ShowCategoryPrice.find(try req.requireID("id", "Show price"), on: req.db) else {
            throw APIError.notFound("Show price")
        }
        return price
    }
}
