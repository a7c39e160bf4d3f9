import Vapor

/// Sends PENDING refunds to the gateway every 10 seconds while the server runs, until each is accepted.
/// A refund is recorded with the change that causes it; this job is what makes sure the money moves.
final class RefundDeliveryJob: LifecycleHandler, @unchecked Sendable {
    private let payments: PaymentService
    private var task: Task<Void, Never>?

    init(payments: PaymentService) {
        self.payments = payments
    }

    func didBootAsync(_ application: Application) async throws {
        let payments = self.payments
        let db = application.db
        let logger = application.logger
        task = Task {
            while !Task.isCancelled {
                try? await Task.sleep(for: .seconds(10))
                if Task.isCancelled { break }  // shutting down: the database may already be gone
                do {
                    let count = try await payments.deliverDueRefunds(on: db)
                    if count > 0 { logger.info("refunds delivered", metadata: ["count": "\(count)"]) }
                } catch {
                    logger.warning("refund delivery failed", metadata: ["error": "\(error)"])
                }
            }
        }
    }

    func shutdownAsync(_ application: Application) async {
        task?.cancel()
    }
}
