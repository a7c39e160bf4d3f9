import Fluent
import Pricing
import Rules
import Vapor

/// Exchanging a confirmed booking to another show or other seats (issue 29). The booking keeps its id and
/// reference; the customer first holds the new seats (at the price of that moment), then asks for the exchange:
/// - costs the same or less (new total + `EXCHANGE_FEE_MINOR` ≤ old total): swapped at once, the difference refunded
///   through the refund intents in the same transaction (200);
/// - costs more: 202 with the exchange AWAITING_PAYMENT; the old seats stay the customer's and the new ones stay held
///   until the payment window ends; `POST /payments {booking_id}` pays the difference and its success swaps, in the
///   webhook's transaction. Paid too late, or after the booking or seats changed: refunded, nothing swapped.
struct ExchangeService: Sendable {
    struct Settings: Sendable {
        var cutoffMinutes = 120
        var feeMinor = 0
        var maxPerBooking = 2
        var paymentWindow: TimeInterval = 900
    }

    let holds: HoldService
    let discounts: DiscountService
    let pricing: PricingCache
    let payments: PaymentService
    let settings: Settings

    var clock: any AppClock { payments.clock }

    /// The outcome: the exchange as recorded, and the refunds its transaction wrote (a cheaper exchange).
    struct Outcome: Sendable {
        var exchange: BookingExchange
        var refunded: Int
    }

    func exchange(_ bookingID: UUID, _ request: ExchangeRequest, by caller: AuthenticatedUser, on db: any Database)
        async throws -> Outcome
    {
        guard let booking = try await Booking.find(bookingID, on: db), booking.$user.id == caller.id else {
            throw APIError.notFound("Booking")
        }
        let now = clock.now()
        let status = booking.effectiveStatus(at: now)
        guard status == .confirmed else { throw ExchangeError.notExchangeable(status) }
        guard booking.exchangeCount < settings.maxPerBooking else { throw ExchangeError.limit(settings.maxPerBooking) }
        guard let oldShow = try await Show.find(booking.$show.id, on: db),
            oldShow.startsAt.timeIntervalSince(now) > TimeInterval(settings.cutoffMinutes * 60)
        else { throw ExchangeError.closed(minutes: settings.cutoffMinutes) }
        // Admitted at the door already (possible only with a cutoff shorter than the doors' two hours): it stays.
        guard try await CheckIn.query(on: db).filter(\.$booking.$id == bookingID).count() == 0 else {
            throw ExchangeError.swapRefused("the booking was already admitted at the door")
        }
        guard let hold = try await holds.store.hold(request.lockId) else { throw BookingError.holdExpired }
        guard hold.userId == caller.id else { throw APIError.notFound("Seat lock") }
        let newShow = try await holds.onSaleShow(hold.showId, on: db)
        let plan = try await price(booking, hold: hold, show: newShow, foods: request.foods, for: caller, on: db)
        let difference = plan.totalMinor + settings.feeMinor - booking.totalMinor

        let exchange = BookingExchange()
        exchange.id = UUID()
        exchange.$booking.id = bookingID
        exchange.$user.id = caller.id
        exchange.fromShowID = booking.$show.id
        exchange.toShowID = hold.showId
        exchange.holdID = hold.id
        exchange.status = .awaitingPayment
        exchange.sequence = booking.exchangeCount
        exchange.oldTotalMinor = booking.totalMinor
        exchange.newTotalMinor = plan.totalMinor
        exchange.feeMinor = settings.feeMinor
        exchange.differenceMinor = difference
        exchange.planJSON = String(decoding: try JSONEncoder().encode(plan), as: UTF8.self)
        exchange.dueBy = difference > 0 ? now.addingTimeInterval(settings.paymentWindow) : now.addingTimeInterval(60)
        exchange.createdAt = now
        let exchangeID = try exchange.requireID()

        if difference > 0 {
            // Pay first: the new seats stay held for the payment window, an older unpaid exchange is replaced.
            try await db.writeTransaction { tx in
                try await BookingExchange.query(on: tx).filter(\.$booking.$id == bookingID)
                    .filter(\.$status == .awaitingPayment)
                    .set(\.$status, to: .lapsed).set(\.$outcome, to: "Replaced by a newer exchange").update()
                try await exchange.create(on: tx)
            }
            _ = try await holds.store.extend(hold.id, until: exchange.dueBy)
            return Outcome(exchange: exchange, refunded: 0)
        }
        let refunds = try await db.writeTransaction { tx -> [Refund] in
            // The booking first: its exchange row's foreign key would otherwise share-lock it in both of two racing
            // exchanges, and each one's update of the booking would wait for the other.
            try await ExchangeSwap.lock(Booking.schema, bookingID, on: tx)
            try await exchange.create(on: tx)
            if let why = try await ExchangeSwap.settle(exchangeID, actor: .user, actorID: caller.id, now: now, on: tx) {
                throw ExchangeError.swapRefused(why)
            }
            guard difference < 0 else { return [] }
            return try await refund(-difference, of: bookingID, on: tx)
        }
        _ = try? await holds.store.release(hold.id)
        await payments.outbox.kick(on: db)
        for refund in refunds { await payments.refundRecorded(refund, on: db) }
        exchange.status = .completed
        exchange.completedAt = now
        return Outcome(exchange: exchange, refunded: -min(difference, 0))
    }

    /// Refunds `amount` from the booking's completed payments, newest first, without cancelling it.
    private func refund(_ amount: Int, of bookingID: UUID, on tx: any Database) async throws -> [Refund] {
        var left = amount
        var refunds: [Refund] = []
        let paid = try await Payment.query(on: tx).filter(\.$booking.$id == bookingID).filter(\.$status == .completed)
            .sort(\.$completedAt, .descending).all()
        for payment in paid where left > 0 {
            let part = min(left, payment.amountMinor - payment.refundedMinor)
            guard part > 0 else { continue }
            refunds.append(
                try await payments.recordRefund(
                    try payment.requireID(), amount: part, reason: "Exchanged for a cheaper show or seats",
                    actor: .user, actorID: payment.$user.id, on: tx))
            left -= part
        }
        return refunds
    }

    /// The booking as it would be after the swap: the held seats at the prices the hold fixed; the booking's food at
    /// the prices it was bought at, or the food asked for (`foods`, at today's prices and stock) instead; and its promo
    /// code checked again against the new show (refused: 409).
    private func price(
        _ booking: Booking, hold: SeatHold, show: Show, foods newFoods: [CreateBookingRequest.FoodLine]?,
        for caller: AuthenticatedUser, on db: any Database
    ) async throws -> ExchangePlan {
        let bookingID = try booking.requireID()
        let cart = try await BookingCart.assemble(
            CreateBookingRequest(showId: hold.showId, lockId: hold.id, foods: newFoods, promoCode: nil), hold: hold,
            show: show, layouts: holds.layouts, pricing: pricing, on: db)
        // Food asked for replaces the booking's (checked against the stock left now; the swap gives the old food's
        // stock back before it takes the new).
        let foods =
            newFoods == nil ? try await BookingFood.query(on: db).filter(\.$booking.$id == bookingID).all() : []
        let items = try await FoodItem.query(on: db).filter(\.$id ~~ foods.map { $0.$foodItem.id }).with(\.$category)
            .all()
        let gstCategory = Dictionary(
            items.compactMap { item in item.id.map { ($0, item.category.gstCategory) } },
            uniquingKeysWith: { first, _ in first })
        let foodLines = try foods.map { food in
            PriceLine.food(
                id: try food.requireID().uuidString, description: food.name, unitPrice: food.unitPriceMinor,
                quantity: food.quantity, gstCategory: gstCategory[food.$foodItem.id] ?? "food")
        }
        var discount: DiscountRule?
        if let code = booking.promoCode, booking.$discount.id != nil {
            let subtotal = cart.subtotal + foods.reduce(0) { $0 + $1.unitPriceMinor * $1.quantity }
            do {
                let quote = try await discounts.evaluate(
                    code: code, showID: hold.showId, subtotalMinor: subtotal, userID: caller.id,
                    excludingBooking: bookingID, on: db)
                discount = .flat(quote.discountMinor)
            } catch let error as APIError {
                throw APIError(
                    .conflict, code: error.errorCode,
                    detail: "The promo code \(code) does not carry over to the new show: \(error.detail)")
            }
        }
        let quote: PriceBreakdown
        do {
            quote = try PriceCalculator.quote(
                lines: cart.lines + foodLines, discount: discount, gst: try await pricing.gstRules(on: db))
        } catch {
            throw BookingError.pricingUnavailable("This exchange cannot be priced: \(error).")
        }
        let priced = Dictionary(uniqueKeysWithValues: quote.lines.map { ($0.id, $0) })
        return ExchangePlan(
            seats: cart.seats.map { item in
                let line = priced[item.seat.id.uuidString]
                return ExchangePlan.Seat(
                    seatID: item.seat.id, label: item.seat.label, categoryID: item.seat.categoryId,
                    categoryName: item.categoryName, priceMinor: item.priceMinor,
                    discountMinor: line?.discountShare ?? 0,
                    cgstBasisPoints: line?.gstRule.cgstBasisPoints ?? 0,
                    sgstBasisPoints: line?.gstRule.sgstBasisPoints ?? 0, cgstMinor: line?.cgst ?? 0,
                    sgstMinor: line?.sgst ?? 0)
            },
            foods: try foods.map { food in
                let line = priced[try food.requireID().uuidString]
                return ExchangePlan.Food(
                    id: try food.requireID(), discountMinor: line?.discountShare ?? 0,
                    cgstBasisPoints: line?.gstRule.cgstBasisPoints ?? 0,
                    sgstBasisPoints: line?.gstRule.sgstBasisPoints ?? 0, cgstMinor: line?.cgst ?? 0,
                    sgstMinor: line?.sgst ?? 0)
            },
            newFoods: newFoods == nil
                ? nil
                : try cart.foodRows(bookingID: bookingID, quote: quote).map {
                    ExchangePlan.NewFood(
                        foodItemID: $0.$foodItem.id, name: $0.name, quantity: $0.quantity,
                        unitPriceMinor: $0.unitPriceMinor, discountMinor: $0.discountMinor,
                        cgstBasisPoints: $0.cgstBasisPoints, sgstBasisPoints: $0.sgstBasisPoints,
                        cgstMinor: $0.cgstMinor,
                        sgstMinor: $0.sgstMinor)
                },
            seatsSubtotalMinor: quote.seatsSubtotal, foodSubtotalMinor: quote.foodSubtotal,
            subtotalMinor: quote.subtotal, discountMinor: quote.discount, taxableMinor: quote.taxable,
            cgstMinor: quote.cgst, sgstMinor: quote.sgst, totalMinor: quote.total)
    }
}
