import Fluent
import SQLKit

struct CreateGSTRate: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(GSTRate.schema)
            .id()
            .field("category", .string, .required)
            .field("cgst_bp", .int, .required)
            .field("sgst_bp", .int, .required)
            .field("min_price_minor", .int64)
            .field("max_price_minor", .int64)
            .field("created_at", .datetime)
            .field("updated_at", .datetime)
            .create()
        let sql = try database.sql()
        try await sql.create(index: "ix_gst_rates_category").on(GSTRate.schema).column("category").run()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(GSTRate.schema).delete()
    }
}
