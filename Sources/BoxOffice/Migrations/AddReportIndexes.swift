import Fluent
import SQLKit

/// The reports find payments and refunds by when they completed, a payment's earlier refunds, a month's booking lines
/// by booking, and a day's shows by start. Refunds completed before `AddRefundDelivery` have no `completed_at`: they were sent when they were
/// made, so they get their creation time, and every completed refund then has the instant reports attribute it by.
struct AddReportIndexes: AsyncMigration {
    func prepare(on database: any Database) async throws {
        let sql = try database.sql()
        try await sql.update(Refund.schema).set("completed_at", to: SQLIdentifier("created_at"))
            .where("status", .equal, RefundStatus.completed.rawValue).where("completed_at", .is, SQLLiteral.null)
            .run()
        // Status first: the reports ask for one status and a range of times, and SQLite, which has no statistics,
        // otherwise prefers an index that matches the status alone (ix_refunds_pending) and reads every refund.
        try await sql.create(index: "ix_payments_completed").on(Payment.schema).column("status").column("completed_at")
            .run()
        try await sql.create(index: "ix_refunds_completed").on(Refund.schema).column("status").column("completed_at")
            .run()
        try await sql.create(index: "ix_refunds_payment").on(Refund.schema).column("payment_id").run()
        try await sql.create(index: "ix_booking_foods_booking").on(BookingFood.schema).column("booking_id").run()
        try await sql.create(index: "ix_shows_starts").on(Show.schema).column("starts_at").run()
    }

    func revert(on database: any Database) async throws {
        let sql = try database.sql()
        for index in [
            "ix_payments_completed", "ix_refunds_completed", "ix_refunds_payment", "ix_booking_foods_booking",
            "ix_shows_starts",
        ] {
            try await sql.drop(index: index).run()
        }
    }
}
