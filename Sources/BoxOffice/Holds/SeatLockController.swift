import Vapor

/// `/seatlocks`: hold seats while paying attention to nobody else's.
struct SeatLockController: RouteCollection {
    let context: RouteContext
    let holds: HoldService

    func boot(routes: any RoutesBuilder) throws {
        let (_, user, admin) = context.routes(routes, "seatlocks", tag: "Seat holds")
        user.on(
            .POST, summary: "Hold seats (all or none), by id or best available", body: .of(CreateSeatLockRequest.self),
            status: .created, response: .of(SeatLockResponse.self),
            errors: [.conflict, .notFound, .tooManyRequests, .forbidden],
            use: create
        ).inLine(.holding)
        user.on(
            .GET, summary: "Your live holds (admins: everyone's)", response: .page(of: SeatLockResponse.self),
            query: APIDoc.QueryParameter.paging + ShowScopedQuery.parameters,
            use: index)
        user.on(.GET, ":id", summary: "One hold", response: .of(SeatLockResponse.self), use: show)
        user.on(
            .PATCH, ":id", summary: "Extend a hold (at most twice HOLD_TTL_SECONDS in all)",
            response: .of(SeatLockResponse.self), errors: [.conflict], use: extend
        ).inLine(.holding)
        user.on(.DELETE, ":id", summary: "Release a hold", status: .noContent, use: release)
        admin.on(
            .POST, "cleanup", summary: "Sweep expired holds the store still keeps",
            response: .of(SeatLockCleanupResponse.self), use: cleanup)
    }

    @Sendable func create(req: Request) async throws -> Created<SeatLockResponse> {
        let caller = try req.currentUser
        try await context.throttle.check(.holds, caller.id)
        try await context.throttle.check(.holdsPerAddress, req.clientAddress)
        let body = try req.content.decode(CreateSeatLockRequest.self)
        let hold: SeatHold
        switch (body.seatIds, body.bestAvailable) {
        case (let seatIDs?, nil):
            hold = try await holds.place(
                showID: body.showId, seatIDs: seatIDs, for: caller, admission: body.admission, on: req.db)
        case (nil, let best?):
            hold = try await holds.placeBest(
                showID: body.showId, count: best.count, categoryID: best.categoryId,
                accessible: best.accessible ?? false, for: caller, admission: body.admission, on: req.db)
        default:
            throw APIError.validation(field: "seat_ids", "send either seat_ids or best_available")
        }
        return Created(try await response(hold, req))
    }

    @Sendable func index(req: Request) async throws -> Page<SeatLockResponse> {
        let page = try PageRequest(from: req)
        let caller = try req.currentUser
        var list = try await holds.store.holds(forUser: caller.isAdmin ? nil : caller.id)
        if let showID = try req.query(ShowScopedQuery.self).showID { list = list.filter { $0.showId == showID } }
        list.sort { ($0.createdAt, $0.id.uuidString) < ($1.createdAt, $1.id.uuidString) }
        var items: [SeatLockResponse] = []
        var layouts: [UUID: LayoutCache.Layout] = [:]
        for hold in list.dropFirst(page.offset).prefix(page.limit) {
            if layouts[hold.showId] == nil { layouts[hold.showId] = try await layout(hold.showId, req) }
            items.append(response(hold, layout: layouts[hold.showId]))
        }
        return Page(items: items, total: list.count, limit: page.limit, offset: page.offset)
    }

    @Sendable func show(req: Request) async throws -> SeatLockResponse {
        try await response(
            try await holds.visibleHold(try req.requireID("id", "Seat lock"), to: try req.currentUser), req)
    }

    @Sendable func extend(req: Request) async throws -> SeatLockResponse {
        try await response(try await holds.extend(try req.requireID("id", "Seat lock"), by: try req.currentUser), req)
    }

    @Sendable func release(req: Request) async throws -> HTTPStatus {
        try await holds.release(try req.requireID("id", "Seat lock"), by: try req.currentUser)
        return .noContent
    }

    @Sendable func cleanup(req: Request) async throws -> SeatLockCleanupResponse {
        SeatLockCleanupResponse(removed: try await holds.sweep())
    }

    private func response(_ hold: SeatHold, _ req: Request) async throws -> SeatLockResponse {
        response(hold, layout: try await layout(hold.showId, req))
    }

    private func response(_ hold: SeatHold, layout: LayoutCache.Layout?) -> SeatLockResponse {
        SeatLockResponse(
            lockId: hold.id, showId: hold.showId, userId: hold.userId, seatIds: hold.seatIds,
            seats: hold.seatIds.map { seat in
                let price = hold.price(of: seat)
                return .init(
                    id: seat, label: layout?.position[seat].map { layout?.seats[$0].label ?? "" } ?? "",
                    priceMinor: price?.priceMinor, basePriceMinor: price?.basePriceMinor)
            },
            createdAt: hold.createdAt, expiresAt: hold.expiresAt)
    }

    /// The seats of the show's screen (for labels), from its snapshot; nil if the show is gone.
    private func layout(_ showID: UUID, _ req: Request) async throws -> LayoutCache.Layout? {
        do {
            return try await holds.snapshots.showPart(showID, on: req.db).layout
        } catch let error as APIError where error.status == .notFound {
            return nil
        }
    }
}
