import Vapor

extension Feature {
    static func notifications(_ box: BoxOffice, _ context: RouteContext) -> Feature {
        Feature(
            name: "notifications",
            routes: [
                NotificationController(context: context, notifications: box.notifications, maintenance: box.maintenance)
            ])
    }
}
