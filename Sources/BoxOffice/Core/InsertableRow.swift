import Fluent
import Foundation
import SQLKit

/// A model written on the purchase path with one SQLKit `INSERT` instead of Fluent's `create`: Fluent reads a model's
/// fields by reflection, several times per statement, and that was the largest single cost in the profile of the
/// purchase path (`Fields.properties`, 18 % of the server's CPU while it booked; issue 26). The values bind exactly as
/// Fluent binds them, so the rows read back the same through the models.
protocol InsertableRow: AnyObject {
    static var schema: String { get }
    static var columns: [String] { get }
    var id: UUID? { get set }
    /// One expression per column, in the order of `columns`.
    var values: [any SQLExpression] { get }
    /// Tells the model it is stored (Fluent's `create` does so), so a later `save` updates it.
    func markStored()
}

extension SQLDatabase {
    /// Inserts the rows in one statement (nothing when there are none); a row without an id gets a new one.
    func insert<Row: InsertableRow>(rows: [Row]) async throws {
        guard !rows.isEmpty else { return }
        var builder = insert(into: Row.schema).columns(Row.columns)
        for row in rows {
            if row.id == nil { row.id = UUID() }
            builder = builder.values(row.values)
        }
        try await builder.run()
        rows.forEach { $0.markStored() }
    }
}

extension Database {
    /// Inserts the rows in one statement (see `InsertableRow`).
    func insert<Row: InsertableRow>(_ rows: Row...) async throws {
        try await sql().insert(rows: rows)
    }

    func insert<Row: InsertableRow>(_ rows: [Row]) async throws {
        try await sql().insert(rows: rows)
    }
}

/// The value as a bind, or NULL (as Fluent writes an empty optional field).
func bindOrNull<T: Encodable & Sendable>(_ value: T?) -> any SQLExpression {
    guard let value else { return SQLLiteral.null }
    return SQLBind(value)
}
