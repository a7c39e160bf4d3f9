import Fluent
import SQLKit
import Testing

@testable import BoxOffice

/// Fluent records migrations by name and runs the unrecorded ones in list order, so the list only ever grows at its
/// end: a migration moved or slotted in would run in one order on fresh databases and another on existing ones.
@Suite("Migration history")
struct MigrationHistoryTests {
    static let history = [
        "CreateUser", "CreateUserSession", "CreateRefreshToken", "CreateMovie", "CreateScreen", "CreateSeatCategory",
        "CreateSeat", "CreateShow", "CreateShowCategoryPrice", "CreateGSTRate", "CreateFoodCategory", "CreateFoodItem",
        "CreateDiscount", "CreateDiscountRedemption", "CreateBooking", "CreateBookingSeat", "CreateBookingFood",
        "CreateBookingStatusLog", "CreateIdempotencyRecord", "CreatePayment", "CreateRefund", "CreatePaymentEvent",
        "AddRefundDelivery", "CreateOutbox", "AddBookingSeatShowIndex", "CreateNotification", "CreateFeedback",
        "CreateAuditLog", "CreateBackupRecords", "AddBookingHoldID", "AddBookingReferenceIndex", "DropAuditLogActorKey",
    ]

    /// The migrations a fresh database ran, in the order it ran them, begin with the history as it shipped.
    @Test(.disabled(if: TestDatabase.isPostgres, "reads SQLite's rowid for the order"))
    func migrationsRunInTheirHistoricalOrder() async throws {
        try await withTestApp { t in
            struct Row: Decodable { var name: String }
            let rows = try await t.app.db.sql()
                .raw("SELECT name FROM _fluent_migrations ORDER BY rowid").all(decoding: Row.self)
            let names = rows.map { $0.name.split(separator: ".").last.map(String.init) ?? $0.name }
            #expect(Array(names.prefix(Self.history.count)) == Self.history)
        }
    }
}
