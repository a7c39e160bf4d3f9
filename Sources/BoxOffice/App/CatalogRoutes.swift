import Vapor

/// Movies, screens, seat categories, seats, shows and show prices.
func registerCatalogRoutes(_ app: Application, context: RouteContext) throws {
    try app.register(collection: MovieController(context: context))
    try app.register(collection: ScreenController(context: context))
    try app.register(collection: SeatCategoryController(context: context))
    try app.register(collection: SeatController(context: context))
    try app.register(collection: ShowController(context: context))
    try app.register(collection: ShowPricingController(context: context))
}
