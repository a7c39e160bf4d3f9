import Vapor

extension Feature {
    /// Demand-based prices: the rules per show and for the chain, and a show's prices now.
    static func demandPricing(_ box: BoxOffice, _ context: RouteContext) -> Feature {
        Feature(name: "demand-pricing", routes: [PricingRulesController(context: context, pricing: box.pricing)])
    }
}
