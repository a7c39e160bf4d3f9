import Fluent

struct CreatePaymentEvent: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(PaymentEvent.schema)
            .id()
            .field("event_id", .string, .required)
            .field("type", .string, .required)
            .field("payment_id", .uuid)
            .field("received_at", .datetime, .required)
            .unique(on: "event_id", name: "uq_payment_events_event_id")
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(PaymentEvent.schema).delete()
    }
}
