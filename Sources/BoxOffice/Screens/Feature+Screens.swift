import Vapor

extension Feature {
    /// Screens, their seat layouts, seat categories and seats.
    static func screens(_ box: BoxOffice, _ context: RouteContext) -> Feature {
        Feature(
            name: "screens",
            routes: [
                ScreenController(
                    context: context, screens: box.screens, layouts: box.layouts, layoutCache: box.layoutCache),
                SeatCategoryController(context: context, seats: box.seats),
                SeatController(context: context, seats: box.seats, layoutCache: box.layoutCache),
            ])
    }
}
