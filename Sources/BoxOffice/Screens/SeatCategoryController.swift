import Fluent
import Vapor

/// `/seat-categories`: the price bands of each screen.
struct SeatCategoryController: RouteCollection {
    let context: RouteContext
    let seats: SeatService

    func boot(routes: any RoutesBuilder) throws {
        let (open, _, admin) = context.routes(routes, "seat-categories", tag: "Screens")
        open.on(
            .GET, summary: "List seat categories", response: .page(of: SeatCategoryResponse.self),
            query: APIDoc.QueryParameter.paging + ScreenScopedQuery.parameters, use: index)
        open.on(.GET, ":id", summary: "One seat category", response: .of(SeatCategoryResponse.self), use: show)
        admin.on(
            .POST, summary: "Create a seat category on a screen", body: .of(SeatCategoryRequest.self),
            status: .created, response: .of(SeatCategoryResponse.self), errors: [.conflict], use: create)
        admin.on(
            .PATCH, ":id", summary: "Rename, re-price or reorder a seat category",
            body: .of(UpdateSeatCategoryRequest.self), response: .of(SeatCategoryResponse.self), errors: [.conflict],
            use: update)
        admin.on(
            .DELETE, ":id", summary: "Delete a seat category no seat or price uses", status: .noContent,
            errors: [.conflict], use: delete)
    }

    @Sendable func index(req: Request) async throws -> Page<SeatCategoryResponse> {
        let query = SeatCategory.query(on: req.db).sort(\.$displayOrder).sort(\.$name).sort(\.$id)
        if let screenID = try req.query(ScreenScopedQuery.self).screenID { query.filter(\.$screen.$id == screenID) }
        return try await query.page(try PageRequest(from: req), map: SeatCategoryResponse.init)
    }

    @Sendable func show(req: Request) async throws -> SeatCategoryResponse {
        try SeatCategoryResponse(try await seats.requireCategory(try req.requireID("id", "Seat category"), on: req.db))
    }

    @Sendable func create(req: Request) async throws -> Created<SeatCategoryResponse> {
        Created(
            try SeatCategoryResponse(
                try await seats.createCategory(try req.content.decode(SeatCategoryRequest.self), on: req.db)))
    }

    @Sendable func update(req: Request) async throws -> SeatCategoryResponse {
        let id = try req.requireID("id", "Seat category")
        return try SeatCategoryResponse(
            try await seats.updateCategory(id, try req.content.decode(UpdateSeatCategoryRequest.self), on: req.db))
    }

    @Sendable func delete(req: Request) async throws -> HTTPStatus {
        try await seats.deleteCategory(try req.requireID("id", "Seat category"), on: req.db)
        return .noContent
    }
}
