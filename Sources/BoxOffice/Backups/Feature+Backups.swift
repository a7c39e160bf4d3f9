import Vapor

extension Feature {
    static func backups(_ box: BoxOffice, _ context: RouteContext) -> Feature {
        Feature(name: "backups", routes: [BackupController(context: context, backups: box.backups)])
    }
}
