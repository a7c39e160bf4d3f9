import Vapor

/// Demand pricing: the rules per show and for the chain (admins; every change audited and moving the catalog version,
/// so seat maps and holds price from the new rules at once), and a show's prices now (staff).
struct PricingRulesController: RouteCollection {
    let context: RouteContext
    let pricing: DemandPricingService

    func boot(routes: any RoutesBuilder) throws {
        let (_, _, chain) = context.routes(routes, "pricing-rules", tag: "Pricing")
        chain.on(
            .GET, summary: "The chain's default demand-pricing rules", response: .of(PricingRulesResponse.self),
            use: chainRules)
        chain.on(
            .PUT, summary: "Set the chain's default demand-pricing rules (for shows without their own)",
            body: .of(PricingRulesRequest.self), response: .of(PricingRulesResponse.self), maxBodySize: "16kb",
            use: setChain)
        chain.on(.DELETE, summary: "Remove the chain's default rules", status: .noContent, use: clearChain)

        let (_, _, admin) = context.routes(routes, "shows", tag: "Pricing")
        admin.on(
            .GET, ":id", "pricing-rules", summary: "A show's own demand-pricing rules",
            response: .of(PricingRulesResponse.self), use: showRules)
        admin.on(
            .PUT, ":id", "pricing-rules", summary: "Set a show's demand-pricing rules (they win over the chain's)",
            body: .of(PricingRulesRequest.self), response: .of(PricingRulesResponse.self), maxBodySize: "16kb",
            use: setShow)
        admin.on(
            .DELETE, ":id", "pricing-rules", summary: "Remove a show's rules (the chain's apply again)",
            status: .noContent, use: clearShow)
        context.staffRoutes(routes, "shows", tag: "Pricing").on(
            .GET, ":id", "pricing", summary: "The rules in force, the occupancy and each category's price now",
            response: .of(ShowPricingResponse.self), use: current)
    }

    @Sendable func chainRules(req: Request) async throws -> PricingRulesResponse {
        guard let row = try await pricing.rules(for: nil, on: req.db) else { throw APIError.notFound("Pricing rules") }
        return try PricingRulesResponse(row)
    }

    @Sendable func setChain(req: Request) async throws -> PricingRulesResponse {
        try PricingRulesResponse(
            try await pricing.set(try req.content.decode(PricingRulesRequest.self), for: nil, on: req.db))
    }

    @Sendable func clearChain(req: Request) async throws -> HTTPStatus {
        try await pricing.clear(for: nil, on: req.db)
        return .noContent
    }

    @Sendable func showRules(req: Request) async throws -> PricingRulesResponse {
        let id = try req.requireID("id", "Show")
        guard let row = try await pricing.rules(for: id, on: req.db) else { throw APIError.notFound("Pricing rules") }
        return try PricingRulesResponse(row)
    }

    @Sendable func setShow(req: Request) async throws -> PricingRulesResponse {
        let id = try req.requireID("id", "Show")
        return try PricingRulesResponse(
            try await pricing.set(try req.content.decode(PricingRulesRequest.self), for: id, on: req.db))
    }

    @Sendable func clearShow(req: Request) async throws -> HTTPStatus {
        try await pricing.clear(for: try req.requireID("id", "Show"), on: req.db)
        return .noContent
    }

    @Sendable func current(req: Request) async throws -> ShowPricingResponse {
        ShowPricingResponse(try await pricing.quote(try req.requireID("id", "Show"), on: req.db))
    }
}
