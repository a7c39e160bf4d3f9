import Vapor

/// `GET /shows/{id}/availability` and `GET /shows/{id}/best-available`: public, personalised when signed in.
struct SeatMapController: RouteCollection {
    let context: RouteContext
    let holds: HoldService
    let availability: AvailabilityService

    func boot(routes: any RoutesBuilder) throws {
        let shows = APIRoutes(builder: routes.grouped("shows"), access: .public, tag: "Seat map")
            .grouped(context.authenticator.allowingAnonymous(), access: .public)
        shows.on(
            .GET, ":id", "availability", summary: "Every seat of a show with its status; supports ETag/If-None-Match",
            response: SchemaRef.of(AvailabilityResponse.self).with(.of(ShowResponse.self)), use: availability
        ).inSeatMapLine()
        shows.on(
            .GET, ":id", "best-available", summary: "The best block of N adjacent free seats",
            response: .of(BestAvailableResponse.self),
            query: BestAvailableQuery.parameters, errors: [.conflict], use: bestAvailable
        ).inSeatMapLine()
    }

    @Sendable func availability(req: Request) async throws -> Response {
        let map = try await availability.seatMap(
            showID: try req.requireID("id", "Show"), caller: req.auth.get(AuthenticatedUser.self), on: req.db)
        // Live: clients revalidate every time, and a 304 spares them the body.
        return ResponseCache.response(map.body, etag: map.etag, to: req, cacheControl: "no-cache")
    }

    @Sendable func bestAvailable(req: Request) async throws -> BestAvailableResponse {
        let showID = try req.requireID("id", "Show")
        let query = try req.query(BestAvailableQuery.self)
        let block = try await holds.bestBlock(
            showID: showID, count: query.count, categoryID: query.categoryID, accessible: query.accessible,
            for: req.auth.get(AuthenticatedUser.self), on: req.db)
        return BestAvailableResponse(
            showId: showID,
            seats: block.map {
                .init(
                    id: $0.id, label: $0.label, row: $0.row, column: $0.column, categoryId: $0.categoryId,
                    kind: $0.kind, status: "available")
            })
    }
}
