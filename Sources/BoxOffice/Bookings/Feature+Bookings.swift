import Vapor

extension Feature {
    /// Bookings and cancellations; the job that expires bookings whose payment window is over.
    static func bookings(_ box: BoxOffice, _ context: RouteContext) -> Feature {
        let lifecycle = box.expiry
        return Feature(
            name: "bookings",
            routes: [
                BookingController(
                    context: context, bookings: box.bookings, clock: box.clock, idempotency: box.idempotency,
                    cancellations: box.cancellations, exchanges: box.exchanges)
            ],
            jobs: [
                box.job("booking-expiry", every: .seconds(30), jitter: .seconds(3)) { db in
                    try await lifecycle.expireOverdue(on: db)
                }
            ])
    }
}
