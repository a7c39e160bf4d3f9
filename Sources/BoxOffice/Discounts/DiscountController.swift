import Fluent
import Vapor

/// `/discounts`: promo codes. Only admins see or change them; a signed-in user may check one code.
struct DiscountController: RouteCollection {
    let context: RouteContext
    let discounts: DiscountService

    func boot(routes: any RoutesBuilder) throws {
        let (_, user, admin) = context.routes(routes, "discounts", tag: "Discounts")
        user.on(
            .POST, "validate",
            summary: "Check a promo code against a show and subtotal, and price it (to customers, a switched-off or "
                + "not yet started code is `invalid_code`, like a missing one)",
            body: .of(ValidateDiscountRequest.self), response: .of(DiscountValidationResponse.self),
            errors: [.conflict, .tooManyRequests], use: validate)
        admin.on(
            .GET, summary: "List promo codes", response: .page(of: DiscountResponse.self),
            query: APIDoc.QueryParameter.paging + DiscountListQuery.parameters, use: index)
        admin.on(.GET, ":id", summary: "One promo code", response: .of(DiscountResponse.self), use: show)
        admin.on(
            .POST, summary: "Create a promo code", body: .of(CreateDiscountRequest.self), status: .created,
            response: .of(DiscountResponse.self), errors: [.conflict], use: create)
        admin.on(
            .PUT, ":id", summary: "Replace a promo code", body: .of(CreateDiscountRequest.self),
            response: .of(DiscountResponse.self), errors: [.conflict], use: replace)
        admin.on(
            .PATCH, ":id", summary: "Change some fields of a promo code (e.g. is_active)",
            body: .of(UpdateDiscountRequest.self), response: .of(DiscountResponse.self), errors: [.conflict],
            use: update)
        admin.on(
            .DELETE, ":id", summary: "Delete a promo code that was never redeemed", status: .noContent,
            errors: [.conflict], use: delete)
    }

    @Sendable func validate(req: Request) async throws -> DiscountValidationResponse {
        // Per user: guessing promo codes one request at a time is the abuse this stops.
        try await context.throttle.check(.discountValidation, try req.currentUser.id)
        let body = try req.content.decode(ValidateDiscountRequest.self)
        try body.validate()
        let caller = try req.currentUser
        let quote = try await discounts.evaluate(
            code: body.code, showID: body.showId, subtotalMinor: body.subtotalMinor, userID: caller.id,
            revealUnpublished: caller.isAdmin, on: req.db)
        return DiscountValidationResponse(quote)
    }

    @Sendable func index(req: Request) async throws -> Page<DiscountResponse> {
        let filters = try req.query(DiscountListQuery.self)
        return try await discounts.list(
            isActive: filters.isActive, code: filters.code, page: try PageRequest(from: req), on: req.db)
    }

    @Sendable func show(req: Request) async throws -> DiscountResponse {
        try DiscountResponse(try await discounts.require(try req.requireID("id", "Discount"), on: req.db))
    }

    @Sendable func create(req: Request) async throws -> Created<DiscountResponse> {
        let body = try req.content.decode(CreateDiscountRequest.self)
        return Created(try DiscountResponse(try await discounts.create(body, on: req.db)))
    }

    @Sendable func replace(req: Request) async throws -> DiscountResponse {
        let id = try req.requireID("id", "Discount")
        let body = try req.content.decode(CreateDiscountRequest.self)
        return try DiscountResponse(try await discounts.replace(id, with: body, on: req.db))
    }

    @Sendable func update(req: Request) async throws -> DiscountResponse {
        let id = try req.requireID("id", "Discount")
        let body = try req.content.decode(UpdateDiscountRequest.self)
        return try DiscountResponse(try await discounts.update(id, with: body, on: req.db))
    }

    @Sendable func delete(req: Request) async throws -> HTTPStatus {
        try await discounts.delete(try req.requireID("id", "Discount"), on: req.db)
        return .noContent
    }
}
