import Fluent
import SQLKit
import Vapor

extension PaymentService {
    /// Applies a verified webhook once. What a gateway says can only move a payment or a refund forward.
    func apply(_ webhook: GatewayWebhook, logger: Logger, on db: any Database) async throws -> WebhookAck {
        switch webhook {
        case .payment(let event):
            return try await handle(event, on: db)
        case .refund(let outcome):
            return try await applyRefundOutcome(outcome, logger: logger, on: db)
        case .ignored:
            return WebhookAck(received: true, duplicate: false)
        }
    }

    /// The gateway's final word on a refund it accepted as pending. `refund.processed` completes it; `refund.failed`
    /// sends it again (the delivery job makes a new gateway refund). Only a PENDING refund whose current gateway id
    /// is the one named moves: a COMPLETED refund never goes back, and a failure of a refund already replaced changes
    /// nothing. Each (event, refund) is recorded, so a replay is a duplicate.
    private func applyRefundOutcome(
        _ outcome: GatewayWebhook.RefundOutcome, logger: Logger, on db: any Database
    ) async throws -> WebhookAck {
        if try await PaymentEvent.query(on: db).filter(\.$eventID == outcome.eventID).first() != nil {
            return WebhookAck(received: true, duplicate: true)
        }
        guard
            let refund = try await Refund.query(on: db).filter(\.$gatewayRefundID == outcome.gatewayRefundID).first()
        else {
            // Not ours, or a refund whose id is not saved yet: the delivery job asks the gateway again anyway.
            logger.warning(
                "refund webhook for an unknown refund ignored",
                metadata: ["gateway_refund_id": .string(outcome.gatewayRefundID)])
            return WebhookAck(received: true, duplicate: false)
        }
        let refundID = try refund.requireID()
        let now = clock.now()
        do {
            let moved = try await db.writeTransaction { tx -> Bool in
                let record = PaymentEvent()
                record.eventID = outcome.eventID
                record.type = outcome.failed ? "refund.failed" : "refund.processed"
                record.paymentID = refund.$payment.id
                record.receivedAt = now
                try await record.create(on: tx)
                var update = try tx.sql().update(Refund.schema)
                if outcome.failed {
                    update = update.set("gateway_refund_id", to: SQLLiteral.null).set("next_attempt_at", to: now)
                        .set("last_error", to: "The gateway reported the refund failed")
                } else {
                    update = update.set("status", to: RefundStatus.completed.rawValue).set("completed_at", to: now)
                        .set("next_attempt_at", to: SQLLiteral.null).set("last_error", to: SQLLiteral.null)
                }
                return try await update.where("id", .equal, refundID)
                    .where("status", .equal, RefundStatus.pending.rawValue)
                    .where("gateway_refund_id", .equal, outcome.gatewayRefundID)
                    .returning("id").all().count == 1
            }
            if moved {
                if !outcome.failed { metrics.increment("refunds_total") }
            } else if outcome.failed {
                logger.warning(
                    "refund.failed for a refund that is already completed or replaced: acknowledged and ignored",
                    metadata: [
                        "refund_id": .string(refundID.uuidString),
                        "gateway_refund_id": .string(outcome.gatewayRefundID),
                    ])
            }
        } catch let error
            where ConstraintViolation(error)?.violates(.paymentEventsEventID) == true
        {
            return WebhookAck(received: true, duplicate: true)
        }
        if outcome.failed { await refundRecorded(refund, on: db) }
        return WebhookAck(received: true, duplicate: false)
    }
}
