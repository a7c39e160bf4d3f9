import Fluent
import Foundation
import Vapor

/// The gateway's other ways into the one exactly-once payment handler besides its webhook: the customer's checkout
/// answer, the simulator's outcome, and reconciliation of payments whose webhook never came.
extension PaymentService {
    /// `POST /payments/{id}/confirm`: the checkout's proof, checked by the gateway, applied as its success event.
    func confirmCheckout(_ payment: Payment, proof: CheckoutProof, on db: any Database) async throws {
        _ = try await handle(try gateway.confirmedEvent(for: payment, proof: proof), on: db)
    }

    /// `POST /payments/{id}/simulate`: the event the simulator's webhook would carry, through the same handler.
    func simulate(_ payment: Payment, succeeded: Bool, on db: any Database) async throws {
        guard payment.status == .pending else { throw PaymentError.paymentNotPending }
        _ = try await handle(try gateway.simulatedEvent(for: payment, succeeded: succeeded), on: db)
    }

    /// PENDING payments older than `olderThan` are asked about; returns how many changed.
    @discardableResult
    func reconcile(olderThan age: TimeInterval, on db: any Database, limit: Int = 50) async throws -> Int {
        guard gateway.reconciles else { return 0 }
        let stale = try await Payment.query(on: db).filter(\.$status == .pending).filter(\.$gateway == gateway.name)
            .filter(\.$createdAt <= clock.now().addingTimeInterval(-age)).sort(\.$createdAt).limit(limit).all()
        var changed = 0
        for payment in stale {
            do {
                guard let event = try await gateway.reconcile(payment) else { continue }  // still being paid
                if try await !handle(event, on: db).duplicate { changed += 1 }
            } catch {
                continue  // the gateway or one payment is unavailable: the next run asks again
            }
        }
        return changed
    }
}
