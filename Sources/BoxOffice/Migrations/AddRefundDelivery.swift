import Fluent
import SQLKit

/// Refunds become intents: recorded PENDING in the transaction that causes them, then driven to the gateway
/// by a job until it accepts them (COMPLETED). Rows from before this migration were sent already.
struct AddRefundDelivery: AsyncMigration {
    func prepare(on database: any Database) async throws {
        // One column per ALTER TABLE: SQLite adds a single column at a time.
        let columns: [(String, DatabaseSchema.DataType, [DatabaseSchema.FieldConstraint])] = [
            ("status", .string, [.required, .sql(.default(RefundStatus.completed.rawValue))]),
            ("attempts", .int, [.required, .sql(.default(0))]),
            ("next_attempt_at", .datetime, []),
            ("last_error", .string, []),
            ("completed_at", .datetime, []),
        ]
        for (name, type, constraints) in columns {
            try await database.schema(Refund.schema).field(
                .definition(
                    name: .key(.string(name)), dataType: type,
                    constraints: constraints)
            ).update()
        }
        let sql = try database.sql()
        try await sql.create(index: "ix_refunds_pending").on(Refund.schema).column("status").column("next_attempt_at")
            .run()
    }

    func revert(on database: any Database) async throws {
        for name in ["status", "attempts", "next_attempt_at", "last_error", "completed_at"] {
            try await database.schema(Refund.schema).deleteField(.key(.string(name))).update()
        }
    }
}
