import Vapor

extension Feature {
    static func discounts(_ box: BoxOffice, _ context: RouteContext) -> Feature {
        Feature(name: "discounts", routes: [DiscountController(context: context, discounts: box.discounts)])
    }
}
