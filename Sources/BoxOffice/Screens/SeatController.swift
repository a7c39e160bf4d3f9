import Fluent
import Vapor

/// `/seats`: single seats (a whole grid is `POST /screens/{id}/layout`).
struct SeatController: RouteCollection {
    let context: RouteContext
    let seats: SeatService
    let layoutCache: LayoutCache

    func boot(routes: any RoutesBuilder) throws {
        let (open, _, admin) = context.routes(routes, "seats", tag: "Screens")
        open.on(
            .GET, summary: "List seats, row by row", response: .page(of: SeatResponse.self),
            query: APIDoc.QueryParameter.paging + ScreenScopedQuery.parameters, use: index)
        open.on(.GET, ":id", summary: "One seat", response: .of(SeatResponse.self), use: show)
        admin.on(
            .POST, summary: "Add one seat", body: .of(CreateSeatRequest.self), status: .created,
            response: .of(SeatResponse.self), errors: [.conflict], use: create)
        admin.on(
            .PATCH, ":id", summary: "Change a seat's category, kind, label or availability",
            body: .of(UpdateSeatRequest.self), response: .of(SeatResponse.self), errors: [.conflict], use: update)
        admin.on(
            .DELETE, ":id", summary: "Remove a seat no booking references", status: .noContent,
            errors: [.conflict], use: delete)
    }

    @Sendable func index(req: Request) async throws -> Page<SeatResponse> {
        let query = Seat.query(on: req.db).filter(\.$retiredAt == nil).sort(\.$screen.$id).sort(\.$rowLabel).sort(
            \.$column
        ).sort(\.$id)
        if let screenID = try req.query(ScreenScopedQuery.self).screenID { query.filter(\.$screen.$id == screenID) }
        return try await query.page(try PageRequest(from: req), map: SeatResponse.init)
    }

    @Sendable func show(req: Request) async throws -> SeatResponse {
        try SeatResponse(try await seats.requireSeat(try req.requireID("id", "Seat"), on: req.db))
    }

    @Sendable func create(req: Request) async throws -> Created<SeatResponse> {
        let seat = try await seats.createSeat(try req.content.decode(CreateSeatRequest.self), on: req.db)
        await layoutCache.invalidate(seat.$screen.id)
        return Created(try SeatResponse(seat))
    }

    @Sendable func update(req: Request) async throws -> SeatResponse {
        let id = try req.requireID("id", "Seat")
        let seat = try await seats.updateSeat(id, try req.content.decode(UpdateSeatRequest.self), on: req.db)
        await layoutCache.invalidate(seat.$screen.id)
        return try SeatResponse(seat)
    }

    @Sendable func delete(req: Request) async throws -> HTTPStatus {
        let seat = try await seats.requireSeat(try req.requireID("id", "Seat"), on: req.db)
        try await seats.deleteSeat(try seat.requireID(), on: req.db)
        await layoutCache.invalidate(seat.$screen.id)
        return .noContent
    }
}
