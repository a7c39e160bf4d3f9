import Fluent
import Rules
import SQLKit
import Vapor

/// The swap itself, for an exchange that is due: checked and written inside the caller's transaction, whether the
/// exchange costs nothing more (at once) or its difference was just paid (from the payment's webhook).
enum ExchangeSwap {
    /// Does the swap if it can still be done, else marks the exchange LAPSED; returns why not, or nil when swapped.
    /// Nothing is written but the exchange's status when it cannot.
    static func settle(
        _ exchangeID: UUID, actor: BookingActor, actorID: UUID?, now: Date, on tx: any Database
    ) async throws -> String? {
        guard let exchange = try await BookingExchange.find(exchangeID, on: tx) else { return "the exchange is gone" }
        if let why = try await refusal(exchange, now: now, on: tx) {
            try await mark(exchangeID, .lapsed, outcome: why, now: now, on: tx)
            return why
        }
        try await apply(exchange, actor: actor, actorID: actorID, now: now, on: tx)
        try await mark(exchangeID, .completed, outcome: nil, now: now, on: tx)
        return nil
    }

    private static func refusal(_ exchange: BookingExchange, now: Date, on tx: any Database) async throws -> String? {
        guard exchange.status == .awaitingPayment else {
            return exchange.status == .completed
                ? "the exchange was already made" : "the exchange lapsed or was replaced by a newer one"
        }
        guard now < exchange.dueBy else { return "its payment window had passed" }
        // Rows are locked in one order, the booking's then the show's, on every path that swaps: two exchanges of one
        // booking, or a swap and that show's cancel, wait for each other instead of deadlocking (PostgreSQL found one
        // when the booking was locked last).
        try await lock(Booking.schema, exchange.$booking.id, on: tx)
        guard let booking = try await Booking.find(exchange.$booking.id, on: tx),
            booking.effectiveStatus(at: now) == .confirmed, booking.exchangeCount == exchange.sequence
        else { return "the booking was cancelled or changed meanwhile" }
        // On PostgreSQL the new show's row is locked until this transaction ends: a cancel of the show either came
        // first (and is seen here) or waits, and then its cancel-all finds the exchanged booking. SQLite's one writer
        // orders them already.
        try await lock(Show.schema, exchange.toShowID, on: tx)
        guard let show = try await Show.find(exchange.toShowID, on: tx), show.status == .scheduled,
            now < show.startsAt
        else { return "the new show is cancelled or has started" }
        let seats = try exchange.plan.seats.map(\.seatID)
        let taken = try await BookingSeat.query(on: tx).filter(\.$showID == exchange.toShowID)
            .filter(\.$isActive == true).filter(\.$seat.$id ~~ seats)
            .filter(\.$booking.$id != exchange.$booking.id).count()
        guard taken == 0 else { return "the new seats were booked by someone else" }
        if let newFoods = try exchange.plan.newFoods, !newFoods.isEmpty {
            let own = try await BookingFood.query(on: tx).filter(\.$booking.$id == exchange.$booking.id).all()
            let items = try await FoodItem.query(on: tx).filter(\.$id ~~ newFoods.map(\.foodItemID)).all()
            for food in newFoods {
                guard let item = items.first(where: { $0.id == food.foodItemID }), item.isAvailable else {
                    return "\(food.name) is no longer available"
                }
                let returned = own.filter { $0.$foodItem.id == food.foodItemID }.reduce(0) { $0 + $1.quantity }
                if let stock = item.stock, stock + returned < food.quantity { return "\(food.name) sold out" }
            }
        }
        return nil
    }

    private static func apply(
        _ exchange: BookingExchange, actor: BookingActor, actorID: UUID?, now: Date, on tx: any Database
    ) async throws {
        let plan = try exchange.plan
        let bookingID = exchange.$booking.id
        let sql = try tx.sql()
        let moved = try await sql.update(Booking.schema)
            .set("show_id", to: exchange.toShowID).set("hold_id", to: exchange.holdID)
            .set("seats_subtotal_minor", to: plan.seatsSubtotalMinor)
            .set("food_subtotal_minor", to: plan.foodSubtotalMinor).set("subtotal_minor", to: plan.subtotalMinor)
            .set("discount_minor", to: plan.discountMinor).set("taxable_minor", to: plan.taxableMinor)
            .set("cgst_minor", to: plan.cgstMinor).set("sgst_minor", to: plan.sgstMinor)
            .set("total_minor", to: plan.totalMinor).set("exchange_count", to: exchange.sequence + 1)
            .set("updated_at", to: now)
            .where("id", .equal, bookingID).where("status", .equal, BookingStatus.confirmed.rawValue)
            .where("exchange_count", .equal, exchange.sequence)
            .returning("id").all()
        guard moved.count == 1 else { throw ExchangeError.swapRefused("the booking changed meanwhile") }
        let old = try await BookingSeat.query(on: tx).filter(\.$booking.$id == bookingID).all()
        try await BookingSeat.query(on: tx).filter(\.$booking.$id == bookingID).delete()
        try await tx.insert(
            plan.seats.map { seat in
                let row = BookingSeat()
                row.$booking.id = bookingID
                row.showID = exchange.toShowID
                row.$seat.id = seat.seatID
                row.seatLabel = seat.label
                row.categoryID = seat.categoryID
                row.categoryName = seat.categoryName
                row.priceMinor = seat.priceMinor
                row.discountMinor = seat.discountMinor
                row.cgstBasisPoints = seat.cgstBasisPoints
                row.sgstBasisPoints = seat.sgstBasisPoints
                row.cgstMinor = seat.cgstMinor
                row.sgstMinor = seat.sgstMinor
                row.isActive = true
                return row
            })
        if let newFoods = plan.newFoods {
            try await replaceFood(bookingID, with: newFoods, on: tx)
        }
        for food in plan.foods {
            try await sql.update(BookingFood.schema)
                .set("discount_minor", to: food.discountMinor)
                .set("cgst_bp", to: food.cgstBasisPoints).set("sgst_bp", to: food.sgstBasisPoints)
                .set("cgst_minor", to: food.cgstMinor).set("sgst_minor", to: food.sgstMinor)
                .where("id", .equal, food.id).run()
        }
        guard let booking = try await Booking.find(bookingID, on: tx) else { return }
        let from = old.map(\.seatLabel).joined(separator: ", ")
        let to = plan.seats.map(\.label).joined(separator: ", ")
        let reason =
            "Exchanged: seats \(from) of show \(exchange.fromShowID.uuidString) for seats \(to) of show "
            + "\(exchange.toShowID.uuidString); difference \(rupees(exchange.differenceMinor))"
        try await tx.insert(
            BookingStatusLog(
                bookingID: bookingID, from: .confirmed, to: .confirmed, actor: actor, actorID: actorID, reason: reason,
                at: now))
        let user = booking.$user.id
        try await Outbox.enqueue(
            NotificationEvent(
                kind: .seatsFreed, userID: user, bookingID: bookingID, showID: exchange.fromShowID,
                seatIDs: old.map { $0.$seat.id }, message: "Seats of show \(exchange.fromShowID.uuidString) changed."),
            at: now, on: tx)
        try await Outbox.enqueue(
            NotificationEvent(
                kind: .seatsBooked, userID: user, bookingID: bookingID, showID: exchange.toShowID,
                seatIDs: plan.seats.map(\.seatID), message: "Seats of show \(exchange.toShowID.uuidString) changed."),
            at: now, on: tx)
        try await Outbox.enqueue(
            NotificationEvent(
                kind: .bookingExchanged, userID: user, bookingID: bookingID, showID: exchange.toShowID,
                message: "Booking \(booking.reference) is now for seats \(to); show the new ticket at the door."),
            at: now, on: tx)
    }

    /// The booking's food rows replaced: the old food's stock given back, the new rows written and their stock taken
    /// (a conditional update each, so stock never goes below zero; sold out meanwhile: the transaction is undone).
    private static func replaceFood(_ bookingID: UUID, with foods: [ExchangePlan.NewFood], on tx: any Database)
        async throws
    {
        try await BookingResources.returnFood(bookingID, on: tx)
        try await BookingFood.query(on: tx).filter(\.$booking.$id == bookingID).delete()
        let sql = try tx.sql()
        for food in foods {
            let row = BookingFood()
            row.$booking.id = bookingID
            row.$foodItem.id = food.foodItemID
            row.name = food.name
            row.quantity = food.quantity
            row.unitPriceMinor = food.unitPriceMinor
            row.discountMinor = food.discountMinor
            row.cgstBasisPoints = food.cgstBasisPoints
            row.sgstBasisPoints = food.sgstBasisPoints
            row.cgstMinor = food.cgstMinor
            row.sgstMinor = food.sgstMinor
            try await row.create(on: tx)
            let taken = try await sql.update(FoodItem.schema)
                .set(
                    SQLIdentifier("stock"),
                    to: SQLBinaryExpression(SQLIdentifier("stock"), .subtract, SQLBind(food.quantity))
                )
                .where("id", .equal, food.foodItemID)
                .where(
                    SQLGroupExpression(
                        SQLBinaryExpression(
                            SQLBinaryExpression(SQLIdentifier("stock"), .is, SQLLiteral.null), .or,
                            SQLBinaryExpression(SQLIdentifier("stock"), .greaterThanOrEqual, SQLBind(food.quantity))))
                )
                .returning("id").all()
            guard taken.count == 1 else { throw BookingError.foodOutOfStock(food.name) }
        }
    }

    /// `SELECT … FOR UPDATE` of one row on PostgreSQL; SQLite's single writer orders transactions already.
    static func lock(_ table: String, _ id: UUID, on tx: any Database) async throws {
        let sql = try tx.sql()
        guard sql.dialect.name != "sqlite" else { return }
        _ = try await sql.raw("SELECT id FROM \(ident: table) WHERE id = \(bind: id) FOR UPDATE").all()
    }

    static func mark(_ id: UUID, _ status: ExchangeStatus, outcome: String?, now: Date, on tx: any Database)
        async throws
    {
        var update = try tx.sql().update(BookingExchange.schema).set("status", to: status.rawValue)
        if let outcome { update = update.set("outcome", to: outcome) }
        if status == .completed { update = update.set("completed_at", to: now) }
        try await update.where("id", .equal, id).run()
    }
}
