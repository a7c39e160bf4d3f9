import Fluent
import SQLKit
import Vapor

/// What a booking takes besides seats while it is active (pending or confirmed): its food stock and its promo code's
/// use. Taken in the booking's transaction, given back in the transaction that ends it (expiry, cancellation), and
/// taken again if a late payment revives it.
enum BookingResources {
    /// Reserves one use of the quoted promo code for this booking, or refuses with `usage_exhausted`.
    ///
    /// The conditional increment of `times_used` comes first: it holds the code's row (PostgreSQL) or the database
    /// (SQLite) until commit, so two bookings cannot both pass the per-customer count that follows.
    static func reserveDiscount(_ discountID: UUID, userID: UUID, bookingID: UUID, now: Date, on tx: any Database)
        async throws
    {
        let sql = try sqlDatabase(tx)
        let rows = try await sql.update(Discount.schema)
            .set(
                SQLIdentifier("times_used"),
                to: SQLBinaryExpression(SQLIdentifier("times_used"), .add, SQLLiteral.numeric("1"))
            )
            .where("id", .equal, discountID)
            .where(
                SQLGroupExpression(
                    SQLBinaryExpression(
                        SQLBinaryExpression(SQLIdentifier("usage_limit_total"), .is, SQLLiteral.null), .or,
                        SQLBinaryExpression(SQLIdentifier("times_used"), .lessThan, SQLIdentifier("usage_limit_total")))
                )
            )
            .returning("usage_limit_per_user").all()
        guard let row = rows.first else {
            throw BookingError.promoExhausted(perCustomer: false)
        }
        if let perUser = try row.decode(column: "usage_limit_per_user", as: Int?.self) {
            let used = try await DiscountRedemption.query(on: tx).filter(\.$discount.$id == discountID)
                .filter(\.$user.$id == userID).count()
            guard used < perUser else {
                throw BookingError.promoExhausted(perCustomer: true)
            }
        }
        try await DiscountRedemption(discountID: discountID, userID: userID, bookingID: bookingID, redeemedAt: now)
            .create(on: tx)
    }

    /// Gives back the booking's food stock and its promo code's use.
    static func release(_ bookingID: UUID, on tx: any Database) async throws {
        let sql = try sqlDatabase(tx)
        try await returnFood(bookingID, on: tx)
        let released = try await sql.delete(from: DiscountRedemption.schema).where("booking_id", .equal, bookingID)
            .returning("discount_id").all()
        for row in released {
            try await sql.update(Discount.schema)
                .set(
                    SQLIdentifier("times_used"),
                    to: SQLBinaryExpression(
                        SQLIdentifier("times_used"), .subtract,
                        SQLLiteral.numeric("1"))
                )
                .where("id", .equal, try row.decode(column: "discount_id", as: UUID.self))
                .where("times_used", .greaterThan, 0)
                .run()
        }
    }

    /// Gives back the tracked stock of the booking's food (its rows stay).
    static func returnFood(_ bookingID: UUID, on tx: any Database) async throws {
        let sql = try sqlDatabase(tx)
        for food in try await BookingFood.query(on: tx).filter(\.$booking.$id == bookingID).all() {
            try await sql.update(FoodItem.schema)
                .set(
                    SQLIdentifier("stock"),
                    to: SQLBinaryExpression(SQLIdentifier("stock"), .add, SQLBind(food.quantity))
                )
                .where("id", .equal, food.$foodItem.id).where("stock", .isNot, SQLLiteral.null)
                .run()
        }
    }

    /// Takes the food stock and the promo code's use again for a booking a late payment revives. Returns false,
    /// changing nothing, when the food is no longer there. The code's use is taken even past its limit: the
    /// customer paid the price they were quoted.
    static func retake(_ bookingID: UUID, now: Date, on tx: any Database) async throws -> Bool {
        let sql = try sqlDatabase(tx)
        let foods = try await BookingFood.query(on: tx).filter(\.$booking.$id == bookingID).all()
        let items = try await FoodItem.query(on: tx).filter(\.$id ~~ foods.map { $0.$foodItem.id }).all()
        let stock = Dictionary(
            items.compactMap { item in item.id.map { ($0, item.stock) } }, uniquingKeysWith: { first, _ in first })
        for food in foods {
            if case .some(.some(let left)) = stock[food.$foodItem.id], left < food.quantity { return false }
        }
        for food in foods {
            guard case .some(.some) = stock[food.$foodItem.id] else { continue }
            let rows = try await sql.update(FoodItem.schema)
                .set(
                    SQLIdentifier("stock"),
                    to: SQLBinaryExpression(SQLIdentifier("stock"), .subtract, SQLBind(food.quantity))
                )
                .where("id", .equal, food.$foodItem.id).where("stock", .greaterThanOrEqual, food.quantity)
                .returning("id").all()
            // Sold meanwhile: roll the whole event back; the gateway delivers it again.
            guard rows.count == 1 else {
                throw BookingError.foodOutOfStock("The booking's food")
            }
        }
        guard let booking = try await Booking.find(bookingID, on: tx), let discountID = booking.$discount.id else {
            return true
        }
        try await sql.update(Discount.schema)
            .set(
                SQLIdentifier("times_used"),
                to: SQLBinaryExpression(SQLIdentifier("times_used"), .add, SQLLiteral.numeric("1"))
            )
            .where("id", .equal, discountID).run()
        try await DiscountRedemption(
            discountID: discountID, userID: booking.$user.id, bookingID: bookingID,
            redeemedAt: now
        ).create(on: tx)
        return true
    }

    private static func sqlDatabase(_ db: any Database) throws -> any SQLDatabase {
        let sql = try db.sql()
        return sql
    }
}
