import Fluent
import SQLKit

/// `booking_id` has no foreign key yet: the bookings table arrives with the bookings work.
struct CreateDiscountRedemption: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(DiscountRedemption.schema)
            .id()
            .field("discount_id", .uuid, .required, .references(Discount.schema, "id", onDelete: .restrict))
            .field("user_id", .uuid, .required, .references(User.schema, "id", onDelete: .cascade))
            .field("booking_id", .uuid)
            .field("redeemed_at", .datetime, .required)
            .unique(on: "booking_id", name: "uq_discount_redemptions_booking")
            .create()
        let sql = try database.sql()
        try await sql.create(index: "ix_discount_redemptions_discount_user").on(DiscountRedemption.schema)
            .column("discount_id").column("user_id").run()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(DiscountRedemption.schema).delete()
    }
}
