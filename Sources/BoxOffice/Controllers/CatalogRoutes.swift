import Vapor

/// Movies, screens, seat categories, seats, shows and show prices.
func registerCatalogRoutes(_ app: Application, context: RouteContext) throws {
    try app.register(collection: MovieController(context: context))
}
