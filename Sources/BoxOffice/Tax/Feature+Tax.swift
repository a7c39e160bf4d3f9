import Vapor

extension Feature {
    static func tax(_ box: BoxOffice, _ context: RouteContext) -> Feature {
        Feature(name: "tax", routes: [GSTController(context: context, rates: box.gst)])
    }
}
