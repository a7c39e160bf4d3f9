import Fluent
import Vapor

/// One feature as `configure` sees it: the routes it serves and the background jobs it runs, built by the feature's
/// own folder from the service graph (`Feature.movies(_:)`, `Feature.payments(_:)`, …). `BoxOffice.features` lists
/// every feature once; `configure` registers those routes and starts those jobs, and nothing else.
///
/// Services stay in one graph (`BoxOffice.build`) because they share instances across features (payments confirm
/// through the bookings lifecycle, which publishes through the outbox); migrations stay one flat append-only list
/// (`addBoxOfficeMigrations`) because their order must be the same on a fresh database and an existing one.
struct Feature {
    let name: String
    var routes: [any RouteCollection] = []
    var jobs: [PeriodicJob] = []
}

extension BoxOffice {
    /// Every feature of the server, once. A new feature is a folder with its `Feature` value and one line here.
    var features: [Feature] {
        let context = RouteContext(
            authenticator: authenticator, freshness: freshness, lists: lists, audit: audit, throttle: throttle)
        return [
            .operations(self), .web(self), .accounts(self), .movies(self, context), .screens(self, context),
            .shows(self, context), .tax(self, context), .discounts(self, context), .food(self, context),
            .holds(self, context), .bookings(self, context), .notifications(self, context), .realtime(self),
            .payments(self, context), .feedback(self, context), .audit(self, context), .backups(self, context),
            .tickets(self, context), .reports(self, context), .demandPricing(self, context),
            .waitingRoom(self, context),
        ]
    }

    /// A background job that skips its runs while a restore replaces the data.
    func job(
        _ name: String, every interval: Duration, jitter: Duration,
        _ work: @escaping @Sendable (any Database) async throws -> Void
    ) -> PeriodicJob {
        let maintenance = self.maintenance
        return PeriodicJob(name, every: interval, jitter: jitter) { db in
            guard !maintenance.isActive else { return }
            try await work(db)
        }
    }
}
