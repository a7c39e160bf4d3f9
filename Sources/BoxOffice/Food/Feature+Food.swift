import Vapor

extension Feature {
    static func food(_ box: BoxOffice, _ context: RouteContext) -> Feature {
        Feature(name: "food", routes: [FoodController(context: context, food: box.food)])
    }
}
