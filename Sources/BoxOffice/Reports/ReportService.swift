import Fluent
import SQLKit

/// The office's reports: sales, GST and occupancy. Every figure is aggregated by the database (GROUP BY over
/// indexed ranges); no booking, payment or refund is read into memory, only the aggregated rows.
///
/// Attribution, the same in every report:
/// - a sale belongs to the business day (`CINEMA_TIME_ZONE`) its payment COMPLETED (`payments.completed_at`), not
///   the day the booking was made or the day of the show: a late payment that revived an expired booking counts on
///   the day it arrived;
/// - a refund belongs to the business day it COMPLETED at the gateway (`refunds.completed_at`); a refund still
///   PENDING (recorded, not yet accepted) is not in any report, as it is not yet out of the ledger.
///
/// So, for any range, `totals.net_minor` of the sales report equals the completed payments minus the completed
/// refunds of that range, to the paisa.
struct ReportService: Sendable {
    let time: CinemaTime
    let currency = "INR"

    init(time: CinemaTime) { self.time = time }

    var timeZone: String { time.timeZone.identifier }

    /// Runs a report's statements in one read transaction, so they see one snapshot (repeatable read on PostgreSQL;
    /// one WAL snapshot on SQLite). On PostgreSQL JIT compilation is off for it: a month of payments crosses the
    /// planner's JIT thresholds, and compiling took longer (about a second) than running the query.
    func snapshot<T: Sendable>(
        _ db: any Database, _ read: @escaping @Sendable (any SQLDatabase) async throws -> T
    ) async throws -> T {
        try await db.transaction { tx in
            let sql = try tx.sql()
            if sql.dialect.name != "sqlite" {
                try await sql.raw("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY").run()
                try await sql.raw("SET LOCAL jit = off").run()
            }
            return try await read(sql)
        }
    }
}

/// SQL fragments the reports share.
enum ReportSQL {
    static let completedPayment = PaymentStatus.completed.rawValue
    static let completedRefund = RefundStatus.completed.rawValue

    /// The index (0, 1, …) of the business day of `period` that the instant in `column` falls in, as a binary tree of
    /// `CASE WHEN column < start THEN … ELSE … END` on the days' starts: about nine comparisons a row for a year,
    /// right across DST changes, the same on both databases. Rows outside the period must be filtered out already.
    static func day(of column: String, in period: BusinessDays) -> SQLQueryString {
        func node(_ first: Int, _ last: Int) -> SQLQueryString {
            guard first < last else { return "\(literal: first)" }
            let middle = (first + last + 1) / 2
            return "CASE WHEN \(unsafeRaw: column) < \(bind: period.days[middle].start) THEN " + node(first, middle - 1)
                + " ELSE " + node(middle, last) + " END"
        }
        return node(0, period.days.count - 1)
    }

    /// A sum as a 64-bit integer on both databases (PostgreSQL sums `bigint` into `numeric`).
    static func sum(_ expression: String, as name: String) -> SQLQueryString {
        "CAST(COALESCE(SUM(\(unsafeRaw: expression)), 0) AS BIGINT) AS \(ident: name)"
    }
}

extension SQLRow {
    /// An integer column, 0 when NULL.
    func int(_ column: String) throws -> Int {
        try decodeNil(column: column) ? 0 : decode(column: column, as: Int.self)
    }
}
