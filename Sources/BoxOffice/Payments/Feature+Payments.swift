import Vapor

extension Feature {
    /// Payments, webhooks and refunds; the jobs that deliver refunds and reconcile payments whose webhook never came.
    static func payments(_ box: BoxOffice, _ context: RouteContext) -> Feature {
        let payments = box.payments
        let paymentWindow = TimeInterval(box.config.paymentWindowSeconds)
        return Feature(
            name: "payments",
            routes: [
                PaymentController(context: context, payments: payments, idempotency: box.idempotency, clock: box.clock)
            ],
            jobs: [
                box.job("refund-delivery", every: .seconds(10), jitter: .seconds(1)) { db in
                    try await payments.deliverDueRefunds(on: db)
                },
                // Gateways that can be asked (Razorpay): payments whose webhook never came, once their window is over.
                box.job("payment-reconcile", every: .seconds(60), jitter: .seconds(5)) { db in
                    try await payments.reconcile(olderThan: paymentWindow, on: db)
                },
            ])
    }
}
