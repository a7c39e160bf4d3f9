import Fluent
import Rules
import Vapor

/// `/bookings`: a customer's orders. Everything is owner-or-admin; another user's booking is a 404.
struct BookingController: RouteCollection {
    let context: RouteContext
    let bookings: BookingService
    let clock: any AppClock
    let idempotency: Idempotency
    let cancellations: CancellationService
    let exchanges: ExchangeService

    func boot(routes: any RoutesBuilder) throws {
        let (_, user, _) = context.routes(routes, "bookings", tag: "Bookings")
        user.on(
            .POST, summary: "Book the seats of your hold (honours Idempotency-Key)",
            body: .of(CreateBookingRequest.self),
            status: .created, response: .of(BookingResponse.self), errors: [.conflict, .notFound, .tooManyRequests],
            use: create
        ).inLine(.finishing)
        user.on(
            .GET, summary: "Your bookings (admins: everyone's, with filters)",
            response: .page(of: BookingResponse.self),
            query: APIDoc.QueryParameter.paging + BookingListQuery.parameters, use: index)
        user.on(.GET, ":id", summary: "One booking", response: .of(BookingResponse.self), use: show)
        context.auditingAdmins(user).on(
            .POST, ":id", "cancel", summary: "Cancel a booking; a confirmed one is refunded by the cancellation policy",
            response: .of(BookingResponse.self), errors: [.conflict], use: cancel)
        user.on(
            .GET, ":id", "cancellation",
            summary: "What cancelling would do now: whether it can be cancelled and the refund the policy gives",
            response: .of(CancellationQuote.self), use: cancellationQuote)
        user.on(
            .POST, ":id", "exchange",
            summary: "Move a confirmed booking to the seats of your hold on another show (or other seats): 200 when it "
                + "costs the same or less (the difference refunded), 202 when the difference is to pay first",
            body: .of(ExchangeRequest.self), response: .of(ExchangeResponse.self),
            errors: [.conflict, .notFound, .tooManyRequests], maxBodySize: "4kb", use: exchange)
        user.on(
            .GET, ":id", "logs", summary: "Every status change of a booking", response: .of(BookingLogList.self),
            use: logs)
    }

    @Sendable func create(req: Request) async throws -> Response {
        let caller = try req.currentUser
        try await context.throttle.check(.bookings, caller.id)
        return try await idempotency.run(req, scope: "POST /bookings", userID: caller.id) {
            let booking = try await bookings.create(
                try req.content.decode(CreateBookingRequest.self), for: caller, on: req.db)
            return try await Created(try await response(booking, on: req.db)).encodeResponse(for: req)
        }
    }

    @Sendable func index(req: Request) async throws -> Page<BookingResponse> {
        let caller = try req.currentUser
        let page = try PageRequest(from: req)
        let filters = try req.query(BookingListQuery.self)
        let query = Booking.query(on: req.db).sort(\.$createdAt, .descending).sort(\.$id)
        if caller.isAdmin {
            if let userID = filters.userID { query.filter(\.$user.$id == userID) }
        } else {
            query.filter(\.$user.$id == caller.id)
        }
        if let status = filters.status { Self.filter(query, byEffectiveStatus: status, at: clock.now()) }
        if let showID = filters.showID { query.filter(\.$show.$id == showID) }
        if let reference = filters.reference { query.filter(\.$reference == reference) }
        if let from = filters.from { query.filter(\.$createdAt >= from) }
        if let to = filters.to { query.filter(\.$createdAt < to) }
        return try await query.page(page) { try await responses($0, on: req.db, withDetails: true) }
    }

    @Sendable func show(req: Request) async throws -> BookingResponse {
        try await response(try await visible(req), on: req.db, withDetails: true)
    }

    @Sendable func cancel(req: Request) async throws -> BookingResponse {
        let booking = try await cancellations.cancel(
            try req.requireID("id", "Booking"), by: try req.currentUser, on: req.db)
        return try await response(booking, on: req.db)
    }

    @Sendable func exchange(req: Request) async throws -> Response {
        let caller = try req.currentUser
        try await context.throttle.check(.bookings, caller.id)
        let outcome = try await exchanges.exchange(
            try req.requireID("id", "Booking"), try req.content.decode(ExchangeRequest.self), by: caller, on: req.db)
        let booking = try await Booking.find(outcome.exchange.$booking.id, on: req.db)
        guard let booking else { throw APIError.notFound("Booking") }
        let body = try ExchangeResponse(outcome, booking: try await response(booking, on: req.db, withDetails: true))
        let answer = try await body.encodeResponse(for: req)
        answer.status = outcome.exchange.status == .awaitingPayment ? .accepted : .ok
        return answer
    }

    @Sendable func cancellationQuote(req: Request) async throws -> CancellationQuote {
        try await cancellations.quote(try req.requireID("id", "Booking"), for: try req.currentUser, on: req.db)
    }

    @Sendable func logs(req: Request) async throws -> BookingLogList {
        let booking = try await visible(req)
        let logs = try await BookingStatusLog.query(on: req.db).filter(\.$booking.$id == booking.requireID())
            .sort(\.$createdAt).sort(\.$id).all()
        return BookingLogList(items: logs.map(BookingLogResponse.init))
    }

    /// The booking if the caller owns it or is an admin.
    private func visible(_ req: Request) async throws -> Booking {
        let caller = try req.currentUser
        let id = try req.requireID("id", "Booking")
        guard let booking = try await Booking.find(id, on: req.db), caller.isAdmin || booking.$user.id == caller.id
        else {
            throw APIError.notFound("Booking")
        }
        return booking
    }

    private func response(
        _ booking: Booking, on db: any Database, withDetails: Bool = false
    ) async throws -> BookingResponse {
        guard let response = try await responses([booking], on: db, withDetails: withDetails).first else {
            throw APIError.internalError
        }
        return response
    }

    /// Responses for a page of bookings with two queries in all (seats, food), not two per booking; reads add the
    /// movie, start, screen and seat labels with one more (`BookingDetails`).
    private func responses(
        _ bookings: [Booking], on db: any Database, withDetails: Bool = false
    ) async throws -> [BookingResponse] {
        let ids = try bookings.map { try $0.requireID() }
        guard !ids.isEmpty else { return [] }
        let now = clock.now()
        let seats = Dictionary(
            grouping: try await BookingSeat.query(on: db).filter(\.$booking.$id ~~ ids).all(), by: \.$booking.id)
        let foods = Dictionary(
            grouping: try await BookingFood.query(on: db).filter(\.$booking.$id ~~ ids).all(), by: \.$booking.id)
        let details = withDetails ? try await BookingDetails.load(ids, on: db) : [:]
        return try bookings.map { booking in
            let id = try booking.requireID()
            return try BookingResponse(booking, seats: seats[id] ?? [], foods: foods[id] ?? [], now: now)
                .with(details[id])
        }
    }
}

extension BookingController {
    /// `status=` as a reader sees it: an overdue PENDING booking counts as EXPIRED, not as PENDING.
    static func filter(_ query: QueryBuilder<Booking>, byEffectiveStatus status: BookingStatus, at now: Date) {
        switch status {
        case .pending:
            query.filter(\.$status == .pending).filter(\.$paymentDueBy > now)
        case .expired:
            query.group(.or) { either in
                either.filter(\.$status == .expired)
                either.group(.and) { $0.filter(\.$status == .pending).filter(\.$paymentDueBy <= now) }
            }
        default:
            query.filter(\.$status == status)
        }
    }
}

struct BookingLogList: Content {
    var items: [BookingLogResponse]
}
