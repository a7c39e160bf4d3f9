import Vapor

extension Feature {
    /// Shows and their per-category prices.
    static func shows(_ box: BoxOffice, _ context: RouteContext) -> Feature {
        Feature(
            name: "shows",
            routes: [
                ShowController(
                    context: context, shows: box.shows, clock: box.clock, operatingHours: box.config.operatingHours,
                    pricing: box.pricing),
                ShowPricingController(context: context),
            ])
    }
}
