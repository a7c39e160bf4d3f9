import Vapor

/// GST rates, discounts and food routes.
func registerOfferRoutes(_ app: Application, context: RouteContext) throws {
}
