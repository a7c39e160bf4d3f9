import Fluent
import Pricing
import SQLKit
import Vapor

/// What a booking request asks for, looked up and checked: the held seats at this show's prices, and the food.
struct BookingCart {
    struct SeatItem {
        var seat: LayoutCache.SeatInfo
        var categoryName: String
        var priceMinor: Int
    }

    struct FoodLineItem {
        var item: FoodItem
        var quantity: Int
        var gstCategory: String
    }

    var seats: [SeatItem]
    var foods: [FoodLineItem]

    var lines: [PriceLine] {
        seats.map { PriceLine.seat(id: $0.seat.id.uuidString, description: $0.seat.label, price: $0.priceMinor) }
            + foods.map {
                PriceLine.food(
                    id: ($0.item.id ?? UUID()).uuidString, description: $0.item.name,
                    unitPrice: $0.item.priceMinor, quantity: $0.quantity, gstCategory: $0.gstCategory)
            }
    }

    var subtotal: Int {
        seats.reduce(0) { $0 + $1.priceMinor } + foods.reduce(0) { $0 + $1.item.priceMinor * $1.quantity }
    }

    static func assemble(
        _ request: CreateBookingRequest, hold: SeatHold, show: Show, layouts: LayoutCache, pricing: PricingCache,
        on db: any Database
    ) async throws -> BookingCart {
        // The cached layout's index, not a dictionary of every seat of the screen built per booking (1.2 % of the
        // server's CPU while it booked 1,000-seat shows).
        let layout = try await layouts.layout(of: show.$screen.id, on: db)
        let showID = try show.requireID()
        let priceByCategory = try await pricing.prices(of: showID, on: db)
        let seats = try hold.seatIds.map { seatID -> SeatItem in
            guard let index = layout.position[seatID], case let seat = layout.seats[index], seat.isSellable else {
                throw BookingError.seatNotForSale
            }
            guard let price = priceByCategory[seat.categoryId] else {
                throw BookingError.pricingUnavailable("Seat \(seat.label) has no price at this show yet.")
            }
            // The price fixed when the seats were held (demand may have moved the show's price since); a hold from
            // before prices were fixed at hold time pays the category's price.
            return SeatItem(
                seat: seat, categoryName: price.categoryName,
                priceMinor: hold.price(of: seatID)?.priceMinor ?? price.priceMinor)
        }
        return BookingCart(seats: seats, foods: try await foodLines(request.foods ?? [], on: db))
    }

    static func foodLines(_ lines: [CreateBookingRequest.FoodLine], on db: any Database) async throws
        -> [FoodLineItem]
    {
        var checks = FieldChecks()
        checks.require(lines.count <= 20, "foods", "must list at most 20 items")
        checks.require(
            Set(lines.map(\.foodId)).count == lines.count, "foods", "must not repeat an item; raise its quantity")
        for (index, line) in lines.enumerated() {
            checks.require((1...20).contains(line.quantity), "foods[\(index)].quantity", "must be from 1 to 20")
        }
        try checks.throwIfAny()
        guard !lines.isEmpty else { return [] }
        let items = try await FoodItem.query(on: db).filter(\.$id ~~ lines.map(\.foodId)).with(\.$category).all()
        let byID = Dictionary(uniqueKeysWithValues: try items.map { (try $0.requireID(), $0) })
        var problems: [FieldError] = []
        var result: [FoodLineItem] = []
        for (index, line) in lines.enumerated() {
            guard let item = byID[line.foodId] else {
                problems.append(FieldError(field: "foods[\(index)].food_id", message: "is not a food item"))
                continue
            }
            guard item.isAvailable else {
                problems.append(FieldError(field: "foods[\(index)].food_id", message: "\(item.name) is not available"))
                continue
            }
            if let stock = item.stock, stock < line.quantity {
                problems.append(
                    FieldError(field: "foods[\(index)].quantity", message: "only \(stock) \(item.name) left"))
                continue
            }
            result.append(FoodLineItem(item: item, quantity: line.quantity, gstCategory: item.category.gstCategory))
        }
        if !problems.isEmpty { throw APIError.validation(problems) }
        return result
    }

    func seatRows(bookingID: UUID, showID: UUID, quote: PriceBreakdown) throws -> [BookingSeat] {
        let priced = Dictionary(uniqueKeysWithValues: quote.lines.map { ($0.id, $0) })
        return seats.map { item in
            let line = priced[item.seat.id.uuidString]
            let row = BookingSeat()
            row.$booking.id = bookingID
            row.showID = showID
            row.$seat.id = item.seat.id
            row.seatLabel = item.seat.label
            row.categoryID = item.seat.categoryId
            row.categoryName = item.categoryName
            row.priceMinor = item.priceMinor
            row.discountMinor = line?.discountShare ?? 0
            row.cgstBasisPoints = line?.gstRule.cgstBasisPoints ?? 0
            row.sgstBasisPoints = line?.gstRule.sgstBasisPoints ?? 0
            row.cgstMinor = line?.cgst ?? 0
            row.sgstMinor = line?.sgst ?? 0
            row.isActive = true
            return row
        }
    }

    func foodRows(bookingID: UUID, quote: PriceBreakdown) throws -> [BookingFood] {
        let priced = Dictionary(uniqueKeysWithValues: quote.lines.map { ($0.id, $0) })
        return try foods.map { food in
            let line = priced[try food.item.requireID().uuidString]
            let row = BookingFood()
            row.$booking.id = bookingID
            row.$foodItem.id = try food.item.requireID()
            row.name = food.item.name
            row.quantity = food.quantity
            row.unitPriceMinor = food.item.priceMinor
            row.discountMinor = line?.discountShare ?? 0
            row.cgstBasisPoints = line?.gstRule.cgstBasisPoints ?? 0
            row.sgstBasisPoints = line?.gstRule.sgstBasisPoints ?? 0
            row.cgstMinor = line?.cgst ?? 0
            row.sgstMinor = line?.sgst ?? 0
            return row
        }
    }

    /// Takes tracked stock only if enough is left: a conditional update, so two bookings cannot oversell.
    static func takeStock(_ foods: [FoodLineItem], on db: any Database) async throws {
        let sql = try db.sql()
        for food in foods where food.item.stock != nil {
            let rows = try await sql.update(FoodItem.schema)
                .set(
                    SQLIdentifier("stock"),
                    to: SQLBinaryExpression(SQLIdentifier("stock"), .subtract, SQLBind(food.quantity))
                )
                .where("id", .equal, try food.item.requireID())
                .where("stock", .greaterThanOrEqual, food.quantity)
                .returning("id")
                .all()
            guard rows.count == 1 else {
                throw BookingError.foodOutOfStock(food.item.name)
            }
        }
    }
}
