import Fluent
import Vapor

/// `/shows`: the schedule. Reads are public; scheduling is for admins.
struct ShowController: RouteCollection {
    let context: RouteContext
    let shows: ShowService
    let clock: any AppClock
    let operatingHours: ClosedRange<Int>
    let pricing: DemandPricingService

    func boot(routes: any RoutesBuilder) throws {
        let (open, _, admin) = context.routes(routes, "shows", tag: "Shows")
        open.on(
            .GET, summary: "List shows (answered from a cache dropped by admin writes; ETag/If-None-Match)",
            response: .page(of: ShowResponse.self),
            query: APIDoc.QueryParameter.paging + ShowListQuery.parameters, use: index)
        admin.on(
            .GET, "available-slots", summary: "Free windows of a screen on a date", response: .of(SlotsResponse.self),
            query: SlotsQuery.parameters, errors: [.notFound], use: slots)
        open.on(
            .GET, ":id", summary: "One show with its movie, screen and prices", response: .of(ShowResponse.self),
            use: show)
        admin.on(
            .POST, summary: "Schedule a show", body: .of(CreateShowRequest.self), status: .created,
            response: .of(ShowResponse.self), errors: [.conflict], use: create)
        admin.on(
            .PATCH, ":id", summary: "Reschedule a show", body: .of(UpdateShowRequest.self),
            response: .of(ShowResponse.self), errors: [.conflict], use: update)
        admin.on(
            .PUT, ":id", "cancel", summary: "Cancel a show and its bookings, refunding them in full (idempotent)",
            body: .of(CancelShowRequest.self),
            response: .of(ShowResponse.self), use: cancel)
    }

    @Sendable func index(req: Request) async throws -> Response {
        let filters = try req.query(ShowListQuery.self)
        guard !filters.withPrices else {
            // Demand moves prices with every booking and hold: this list is priced now, not cached.
            let now = clock.now()
            return try await query(filters, req).page(
                try PageRequest(from: req),
                mapAll: { shows in
                    var items: [ShowResponse] = []
                    for show in shows {
                        items.append(
                            try ShowResponse(
                                show, movie: show.movie, screen: show.screen, now: now,
                                prices: try await prices(of: show.requireID(), req)))
                    }
                    return items
                }
            ).encodeResponse(for: req)
        }
        return try await context.lists.respond(to: req) {
            let page = try PageRequest(from: req)
            let query = query(filters, req)
            let now = clock.now()
            return try await query.page(page) { try ShowResponse($0, movie: $0.movie, screen: $0.screen, now: now) }
        }
    }

    private func query(_ filters: ShowListQuery, _ req: Request) -> QueryBuilder<Show> {
        let query = Show.query(on: req.db).with(\.$movie).with(\.$screen).sort(\.$startsAt).sort(\.$id)
        if let id = filters.movieID { query.filter(\.$movie.$id == id) }
        if let id = filters.screenID { query.filter(\.$screen.$id == id) }
        if let date = filters.date { query.filter(\.$showDate == date) }
        if let status = filters.status { query.filter(\.$status == status) }
        if let from = filters.from { query.filter(\.$startsAt >= from) }
        if let to = filters.to { query.filter(\.$startsAt < to) }
        return query
    }

    @Sendable func show(req: Request) async throws -> ShowResponse {
        try await response(try shows.requireShow(try req.requireID("id", "Show"), on: req.db), req, withPrices: true)
    }

    @Sendable func create(req: Request) async throws -> Created<ShowResponse> {
        let show = try await shows.create(try req.content.decode(CreateShowRequest.self), on: req.db)
        return Created(try await response(show, req, withPrices: true))
    }

    @Sendable func update(req: Request) async throws -> ShowResponse {
        let id = try req.requireID("id", "Show")
        return try await response(
            try await shows.update(id, try req.content.decode(UpdateShowRequest.self), on: req.db), req,
            withPrices: true)
    }

    @Sendable func cancel(req: Request) async throws -> ShowResponse {
        let id = try req.requireID("id", "Show")
        let body = req.body.data == nil ? CancelShowRequest() : try req.content.decode(CancelShowRequest.self)
        return try await response(
            try await shows.cancel(id, reason: body.reason, by: try req.currentUser.id, on: req.db), req,
            withPrices: false)
    }

    @Sendable func slots(req: Request) async throws -> SlotsResponse {
        let query = try req.query(SlotsQuery.self)
        return try await shows.availableSlots(
            screenID: query.screenID, date: query.date, movieID: query.movieID, operatingHours: operatingHours,
            on: req.db)
    }

    private func response(_ show: Show, _ req: Request, withPrices: Bool) async throws -> ShowResponse {
        try await show.$movie.load(on: req.db)
        try await show.$screen.load(on: req.db)
        let prices = withPrices ? try await prices(of: show.requireID(), req) : nil
        return try ShowResponse(show, movie: show.movie, screen: show.screen, now: clock.now(), prices: prices)
    }

    /// The show's prices now: each category's base price at the show, moved by its demand-pricing rules if it has any.
    private func prices(of showID: UUID, _ req: Request) async throws -> [ShowResponse.CategoryPrice] {
        try await pricing.quote(showID, alwaysCountSeats: false, on: req.db).prices.compactMap { price in
            guard let now = price.priceMinor, let base = price.category.basePriceMinor else { return nil }
            return .init(
                categoryId: price.category.id, name: price.category.name,
                displayOrder: price.category.displayOrder, priceMinor: now, basePriceMinor: base)
        }.sorted { ($0.displayOrder, $0.name) < ($1.displayOrder, $1.name) }
    }
}
