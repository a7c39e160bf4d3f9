import Fluent
import Vapor

/// `/shows`: the schedule. Reads are public; scheduling is for admins.
struct ShowController: RouteCollection {
    let context: RouteContext
    let shows: ShowService
    let clock: any AppClock
    let operatingHours: ClosedRange<Int>

    func boot(routes: any RoutesBuilder) throws {
        let (open, _, admin) = context.routes(routes, "shows", tag: "Shows")
        open.on(
            .GET, summary: "List shows", response: .page(of: ShowResponse.self),
            query: APIDoc.QueryParameter.paging + [
                .init(
                    name: "movie_id", schema: .string(format: .uuid, required: false), description: "Only this movie's"),
                .screenID,
                .init(name: "date", schema: .string(format: .date, required: false), description: "Cinema-local date"),
                .init(
                    name: "status", schema: .enumeration(ShowStatus.self, required: false),
                    description: "SCHEDULED or CANCELLED"),
                .init(
                    name: "from", schema: .string(format: .dateTime, required: false),
                    description: "Starting at or after"),
                .init(name: "to", schema: .string(format: .dateTime, required: false), description: "Starting before"),
            ], use: index)
        admin.on(
            .GET, "available-slots", summary: "Free windows of a screen on a date", response: .of(SlotsResponse.self),
            query: [
                .init(name: "screen_id", schema: .uuid, description: "The screen"),
                .init(name: "date", schema: .string(format: .date), description: "Cinema-local date"),
                .init(
                    name: "movie_id", schema: .string(format: .uuid, required: false),
                    description: "Only windows this movie fits in, with its latest start"),
            ], errors: [.notFound], use: slots)
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

    @Sendable func index(req: Request) async throws -> Page<ShowResponse> {
        let page = try PageRequest(from: req)
        let query = Show.query(on: req.db).with(\.$movie).with(\.$screen).sort(\.$startsAt).sort(\.$id)
        if let id = try req.query.get(UUID?.self, at: "movie_id") { query.filter(\.$movie.$id == id) }
        if let id = try req.query.get(UUID?.self, at: "screen_id") { query.filter(\.$screen.$id == id) }
        if let date = try req.query.get(String?.self, at: "date") {
            guard shows.time.date(date) != nil else { throw APIError.validation(field: "date", "must be YYYY-MM-DD") }
            query.filter(\.$showDate == date)
        }
        if let raw = try req.query.get(String?.self, at: "status") {
            guard let status = ShowStatus(rawValue: raw.uppercased()) else {
                throw APIError.validation(field: "status", "must be SCHEDULED or CANCELLED")
            }
            query.filter(\.$status == status)
        }
        if let from = try instant(req, "from") { query.filter(\.$startsAt >= from) }
        if let to = try instant(req, "to") { query.filter(\.$startsAt < to) }
        let now = clock.now()
        return try await query.page(page) { try ShowResponse($0, movie: $0.movie, screen: $0.screen, now: now) }
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
        guard let screenID = try req.query.get(UUID?.self, at: "screen_id") else {
            throw APIError.validation(field: "screen_id", "is required")
        }
        guard let date = try req.query.get(String?.self, at: "date") else {
            throw APIError.validation(field: "date", "is required")
        }
        return try await shows.availableSlots(
            screenID: screenID, date: date,
            movieID: try req.query.get(UUID?.self, at: "movie_id"), operatingHours: operatingHours, on: req.db)
    }

    private func instant(_ req: Request, _ name: String) throws -> Date? {
        guard let raw = try req.query.get(String?.self, at: name) else { return nil }
        guard let date = ISO8601DateFormatter().date(from: raw) else {
            throw APIError.validation(field: name, "must be an ISO 8601 instant such as 2026-11-25T18:30:00Z")
        }
        return date
    }

    private func response(_ show: Show, _ req: Request, withPrices: Bool) async throws -> ShowResponse {
        try await show.$movie.load(on: req.db)
        try await show.$screen.load(on: req.db)
        var prices: [ShowResponse.CategoryPrice]?
        if withPrices {
            let rows = try await ShowCategoryPrice.query(on: req.db).filter(\.$show.$id == show.requireID())
                .with(\.$category).all()
            prices = try rows.map {
                .init(
                    categoryId: try $0.category.requireID(), name: $0.category.name,
                    displayOrder: $0.category.displayOrder, priceMinor: $0.priceMinor)
            }.sorted { ($0.displayOrder, $0.name) < ($1.displayOrder, $1.name) }
        }
        return try ShowResponse(show, movie: show.movie, screen: show.screen, now: clock.now(), prices: prices)
    }
}
