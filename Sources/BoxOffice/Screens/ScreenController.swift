import Fluent
import Vapor

/// `/screens`: screens with their capacity, and whole-grid layouts.
struct ScreenController: RouteCollection {
    let context: RouteContext
    let screens: ScreenService
    let layouts: LayoutService
    let layoutCache: LayoutCache

    func boot(routes: any RoutesBuilder) throws {
        let (open, _, admin) = context.routes(routes, "screens", tag: "Screens")
        open.on(
            .GET, summary: "List screens with capacity", response: .page(of: ScreenResponse.self),
            query: APIDoc.QueryParameter.paging + ScreenListQuery.parameters, use: index)
        open.on(
            .GET, ":id", summary: "One screen: capacity and seat counts per category and kind",
            response: .of(ScreenResponse.self), use: show)
        admin.on(
            .POST, summary: "Create a screen", body: .of(CreateScreenRequest.self), status: .created,
            response: .of(ScreenResponse.self), errors: [.conflict], use: create)
        admin.on(
            .PATCH, ":id", summary: "Rename a screen, change its type or availability",
            body: .of(UpdateScreenRequest.self), response: .of(ScreenResponse.self), errors: [.conflict], use: update)
        admin.on(
            .DELETE, ":id", summary: "Delete a screen that has no shows", status: .noContent,
            errors: [.conflict], use: delete)
        admin.on(
            .POST, ":id", "layout", summary: "Create or replace the whole seat grid in one atomic call",
            body: .of(LayoutRequest.self), status: .created, response: .of(ScreenResponse.self), errors: [.conflict],
            use: layout)
    }

    @Sendable func index(req: Request) async throws -> Page<ScreenResponse> {
        let page = try PageRequest(from: req)
        let query = Screen.query(on: req.db).sort(\.$name).sort(\.$id)
        if let available = try req.query(ScreenListQuery.self).isAvailable {
            query.filter(\.$isAvailable == available)
        }
        return try await query.page(page) { try await screens.summaries($0, on: req.db) }
    }

    @Sendable func show(req: Request) async throws -> ScreenResponse {
        try await summary(try await screens.requireScreen(try req.requireID("id", "Screen"), on: req.db), req)
    }

    @Sendable func create(req: Request) async throws -> Created<ScreenResponse> {
        let screen = try await screens.create(try req.content.decode(CreateScreenRequest.self), on: req.db)
        return Created(try await summary(screen, req))
    }

    @Sendable func update(req: Request) async throws -> ScreenResponse {
        let id = try req.requireID("id", "Screen")
        return try await summary(
            try await screens.update(id, try req.content.decode(UpdateScreenRequest.self), on: req.db), req)
    }

    @Sendable func delete(req: Request) async throws -> HTTPStatus {
        try await screens.delete(try req.requireID("id", "Screen"), on: req.db)
        return .noContent
    }

    @Sendable func layout(req: Request) async throws -> Created<ScreenResponse> {
        let id = try req.requireID("id", "Screen")
        try await layouts.apply(try req.content.decode(LayoutRequest.self), to: id, on: req.db)
        await layoutCache.invalidate(id)
        return Created(try await summary(try await screens.requireScreen(id, on: req.db), req))
    }

    private func summary(_ screen: Screen, _ req: Request) async throws -> ScreenResponse {
        guard let summary = try await screens.summaries([screen], on: req.db).first else {
            throw APIError.internalError
        }
        return summary
    }
}
