import Fluent
import Pricing
import SQLKit
import Vapor

/// Turns a live hold into a PENDING booking with an exact price breakdown, in one short transaction.
/// The partial unique index on active booking seats is the last word on who gets a seat.
struct BookingService: Sendable {
    let holds: HoldService
    let discounts: DiscountService
    let clock: any AppClock
    let metrics: any AppMetrics
    let paymentWindow: TimeInterval
    let lifecycle: BookingLifecycle
    let pricing: PricingCache

    func create(_ request: CreateBookingRequest, for caller: AuthenticatedUser, on db: any Database) async throws
        -> Booking
    {
        let started = ContinuousClock.now
        defer {
            metrics.observe("booking_latency_seconds", seconds: (ContinuousClock.now - started).seconds, labels: [:])
        }
        // A hold books once. Asked again (a retry whose first answer was lost), the answer is that booking.
        if let earlier = try await bookingMade(from: request.lockId, for: caller, on: db) {
            _ = try? await holds.store.release(request.lockId)  // in case the first attempt died before releasing it
            return earlier
        }
        let hold = try await liveHold(request, caller)
        let show = try await holds.onSaleShow(request.showId, on: db)
        let cart = try await BookingCart.assemble(
            request, hold: hold, show: show, layouts: holds.layouts, pricing: pricing, on: db)
        var discountQuote: DiscountQuote?
        if let code = request.promoCode?.trimmed, !code.isEmpty {
            discountQuote = try await discounts.evaluate(
                code: code, showID: show.requireID(), subtotalMinor: cart.subtotal,
                userID: caller.id, on: db)
        }
        let gst = try await pricing.gstRules(on: db)
        let quote: PriceBreakdown
        do {
            quote = try PriceCalculator.quote(
                lines: cart.lines, discount: discountQuote.map { .flat($0.discountMinor) }, gst: gst)
        } catch {
            throw BookingError.pricingUnavailable(
                "This booking cannot be priced: \(String(describing: error).trimmingCharacters(in: CharacterSet(charactersIn: "."))). Ask the cinema to set up GST."
            )
        }
        let now = clock.now()
        let booking = Booking()
        booking.reference = BookingReference.make()
        booking.$user.id = caller.id
        booking.$show.id = try show.requireID()
        booking.status = .pending
        booking.holdID = hold.id
        booking.promoCode = discountQuote?.code
        booking.$discount.id = discountQuote?.discountID
        booking.seatsSubtotalMinor = quote.seatsSubtotal
        booking.foodSubtotalMinor = quote.foodSubtotal
        booking.subtotalMinor = quote.subtotal
        booking.discountMinor = quote.discount
        booking.taxableMinor = quote.taxable
        booking.cgstMinor = quote.cgst
        booking.sgstMinor = quote.sgst
        booking.totalMinor = quote.total
        booking.currency = "INR"
        booking.paymentDueBy = now.addingTimeInterval(paymentWindow)
        booking.createdAt = now
        booking.updatedAt = now

        // Seats of a booking whose window just passed must be free before the index judges.
        try await lifecycle.expireOverdue(on: db) { $0.filter(\.$show.$id == booking.$show.id) }
        let reservedDiscount = discountQuote?.discountID
        do {
            try await db.writeTransaction { tx in
                try await tx.insert(booking)
                let bookingID = try booking.requireID()
                try await tx.insert(cart.seatRows(bookingID: bookingID, showID: booking.$show.id, quote: quote))
                let foods = try cart.foodRows(bookingID: bookingID, quote: quote)
                if !foods.isEmpty { try await foods.create(on: tx) }
                try await BookingCart.takeStock(cart.foods, on: tx)
                if let discountID = reservedDiscount {
                    try await BookingResources.reserveDiscount(
                        discountID, userID: caller.id, bookingID: bookingID, now: now, on: tx)
                }
                try await tx.insert(
                    BookingStatusLog(
                        bookingID: bookingID, from: nil, to: .pending, actor: .user, actorID: caller.id,
                        reason: "Booked from hold \(hold.id.uuidString)", at: now))
                try await Outbox.enqueue(
                    NotificationEvent(
                        kind: .seatsBooked, userID: caller.id, bookingID: bookingID,
                        showID: booking.$show.id, seatIDs: hold.seatIds,
                        message: "Seats of show \(booking.$show.id) changed."),
                    at: now, on: tx)
            }
        } catch let error where Self.isSeatIndex(error) {
            // The same hold booked twice at once: the other request's booking is this one's answer too.
            if let earlier = try await bookingMade(from: request.lockId, for: caller, on: db) { return earlier }
            metrics.increment("booking_conflicts_total")
            // Another booking has one of these seats: this hold can never be booked, so its seats go back now.
            await holds.releaseUnbookable(hold, on: db)
            throw BookingError.seatsUnavailable(seats: hold.seatIds)
        } catch let error
            where ConstraintViolation(error)?.violates(.bookingsHold) == true
        {
            if let earlier = try await bookingMade(from: request.lockId, for: caller, on: db) { return earlier }
            throw error
        }
        await lifecycle.outbox?.kick(on: db)
        _ = try? await holds.store.release(hold.id)
        metrics.increment("bookings_created_total")
        return booking
    }

    /// Whether a failed write hit the one-active-booking-per-seat index (and not some other rule).
    static func isSeatIndex(_ error: any Error) -> Bool {
        ConstraintViolation(error)?.violates(.bookingSeatsActive) == true
    }

    /// The booking made from this hold, if any; another user's is a 404, as their hold would be.
    private func bookingMade(from holdID: UUID, for caller: AuthenticatedUser, on db: any Database) async throws
        -> Booking?
    {
        guard let booking = try await Booking.query(on: db).filter(\.$holdID == holdID).first() else { return nil }
        guard booking.$user.id == caller.id else { throw APIError.notFound("Seat lock") }
        return booking
    }

    /// The caller's live hold named by the request: another user's is a 404, a gone one a 409.
    private func liveHold(_ request: CreateBookingRequest, _ caller: AuthenticatedUser) async throws -> SeatHold {
        guard let hold = try await holds.store.hold(request.lockId) else {
            throw BookingError.holdExpired
        }
        guard hold.userId == caller.id else { throw APIError.notFound("Seat lock") }
        guard hold.showId == request.showId else {
            throw APIError.validation(field: "lock_id", "holds seats of another show")
        }
        return hold
    }
}

/// `BX-` and six characters from an alphabet without look-alikes (no 0/O, 1/I/L).
enum BookingReference {
    static let alphabet = Array("23456789ABCDEFGHJKMNPQRSTUVWXYZ")

    static func make() -> String {
        var generator = SystemRandomNumberGenerator()
        return "BX-" + String((0..<6).map { _ in alphabet.randomElement(using: &generator)! })
    }
}
