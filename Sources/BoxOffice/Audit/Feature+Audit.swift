import Vapor

extension Feature {
    static func audit(_ box: BoxOffice, _ context: RouteContext) -> Feature {
        Feature(name: "audit", routes: [AuditController(context: context, audit: box.audit)])
    }
}
