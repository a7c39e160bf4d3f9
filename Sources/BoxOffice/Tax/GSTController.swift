import Fluent
import Vapor

/// `/gst`: GST slabs per category (public reads, admin writes).
struct GSTController: RouteCollection {
    let context: RouteContext
    let rates: GSTService

    func boot(routes: any RoutesBuilder) throws {
        let (open, _, admin) = context.routes(routes, "gst", tag: "GST")
        open.on(
            .GET, summary: "List GST slabs", response: .page(of: GSTRateResponse.self),
            query: APIDoc.QueryParameter.paging + GSTListQuery.parameters, use: index)
        open.on(.GET, ":id", summary: "One GST slab", response: .of(GSTRateResponse.self), use: show)
        admin.on(
            .POST, summary: "Add a GST slab (its price range may not overlap another of the category)",
            body: .of(CreateGSTRateRequest.self), status: .created, response: .of(GSTRateResponse.self),
            errors: [.conflict], use: create)
        admin.on(
            .PUT, ":id", summary: "Replace a GST slab", body: .of(CreateGSTRateRequest.self),
            response: .of(GSTRateResponse.self), errors: [.conflict], use: replace)
        admin.on(.DELETE, ":id", summary: "Delete a GST slab", status: .noContent, use: delete)
    }

    @Sendable func index(req: Request) async throws -> Page<GSTRateResponse> {
        return try await rates.list(
            category: try req.query(GSTListQuery.self).category, page: try PageRequest(from: req), on: req.db)
    }

    @Sendable func show(req: Request) async throws -> GSTRateResponse {
        try GSTRateResponse(try await rates.require(try req.requireID("id", "GST rate"), on: req.db))
    }

    @Sendable func create(req: Request) async throws -> Created<GSTRateResponse> {
        Created(
            try GSTRateResponse(try await rates.create(try req.content.decode(CreateGSTRateRequest.self), on: req.db)))
    }

    @Sendable func replace(req: Request) async throws -> GSTRateResponse {
        let id = try req.requireID("id", "GST rate")
        let body = try req.content.decode(CreateGSTRateRequest.self)
        return try GSTRateResponse(try await rates.replace(id, with: body, on: req.db))
    }

    @Sendable func delete(req: Request) async throws -> HTTPStatus {
        try await rates.delete(try req.requireID("id", "GST rate"), on: req.db)
        return .noContent
    }
}
