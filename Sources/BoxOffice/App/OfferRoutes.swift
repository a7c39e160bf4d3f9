import Vapor

/// GST rates, discounts and food routes.
func registerOfferRoutes(_ app: Application, context: RouteContext) throws {
    try app.register(collection: GSTController(context: context))
    try app.register(collection: DiscountController(context: context))
    try app.register(collection: FoodController(context: context))
}
