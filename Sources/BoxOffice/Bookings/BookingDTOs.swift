import Rules
import Vapor

struct CreateBookingRequest: Content {
    var showId: UUID
    var lockId: UUID
    var foods: [FoodLine]?
    var promoCode: String?

    struct FoodLine: Content {
        var foodId: UUID
        var quantity: Int
    }
}

struct BookingResponse: Content {
    var id: UUID
    var reference: String
    var status: BookingStatus
    var userId: UUID
    var showId: UUID
    var seats: [SeatLine]
    var foods: [FoodLine]
    var promoCode: String?
    var breakdown: Breakdown
    var paymentDueBy: Date
    var createdAt: Date
    var updatedAt: Date
    /// What was booked, in words, on reads (`GET /bookings`, `GET /bookings/{id}`): `BookingDetails`.
    var movieTitle: String?
    var startsAt: Date?
    var screenName: String?
    var seatLabels: [String]?

    struct SeatLine: Content {
        var seatId: UUID
        var label: String
        var categoryId: UUID
        var category: String
        var priceMinor: Int
        var discountMinor: Int
        var cgstPercent: Percent
        var sgstPercent: Percent
        var cgstMinor: Int
        var sgstMinor: Int
    }

    struct FoodLine: Content {
        var foodId: UUID
        var name: String
        var quantity: Int
        var unitPriceMinor: Int
        var discountMinor: Int
        var cgstPercent: Percent
        var sgstPercent: Percent
        var cgstMinor: Int
        var sgstMinor: Int
    }

    struct Breakdown: Content {
        var seatsMinor: Int
        var foodMinor: Int
        var subtotalMinor: Int
        var discountMinor: Int
        var taxableMinor: Int
        var cgstMinor: Int
        var sgstMinor: Int
        var totalMinor: Int
        var currency: String
    }

    init(_ booking: Booking, seats: [BookingSeat], foods: [BookingFood], now: Date) throws {
        id = try booking.requireID()
        reference = booking.reference
        status = booking.effectiveStatus(at: now)
        userId = booking.$user.id
        showId = booking.$show.id
        self.seats = seats.sorted { $0.seatLabel < $1.seatLabel }.map {
            SeatLine(
                seatId: $0.$seat.id, label: $0.seatLabel, categoryId: $0.categoryID, category: $0.categoryName,
                priceMinor: $0.priceMinor, discountMinor: $0.discountMinor,
                cgstPercent: Percent(basisPoints: $0.cgstBasisPoints),
                sgstPercent: Percent(basisPoints: $0.sgstBasisPoints),
                cgstMinor: $0.cgstMinor, sgstMinor: $0.sgstMinor)
        }
        self.foods = foods.sorted { $0.name < $1.name }.map {
            FoodLine(
                foodId: $0.$foodItem.id, name: $0.name, quantity: $0.quantity, unitPriceMinor: $0.unitPriceMinor,
                discountMinor: $0.discountMinor, cgstPercent: Percent(basisPoints: $0.cgstBasisPoints),
                sgstPercent: Percent(basisPoints: $0.sgstBasisPoints), cgstMinor: $0.cgstMinor, sgstMinor: $0.sgstMinor)
        }
        promoCode = booking.promoCode
        breakdown = Breakdown(
            seatsMinor: booking.seatsSubtotalMinor, foodMinor: booking.foodSubtotalMinor,
            subtotalMinor: booking.subtotalMinor, discountMinor: booking.discountMinor,
            taxableMinor: booking.taxableMinor,
            cgstMinor: booking.cgstMinor, sgstMinor: booking.sgstMinor, totalMinor: booking.totalMinor,
            currency: booking.currency)
        paymentDueBy = booking.paymentDueBy
        createdAt = booking.createdAt
        updatedAt = booking.updatedAt
    }

    /// The booking with what it is for (movie, start, screen, seat labels).
    func with(_ details: BookingDetails?) -> BookingResponse {
        guard let details else { return self }
        var copy = self
        copy.movieTitle = details.movieTitle
        copy.startsAt = details.startsAt
        copy.screenName = details.screenName
        copy.seatLabels = details.seats
        return copy
    }
}

struct BookingLogResponse: Content {
    var from: BookingStatus?
    var to: BookingStatus
    var actor: BookingActor
    var actorId: UUID?
    var reason: String
    var at: Date

    init(_ log: BookingStatusLog) {
        from = log.fromStatus
        to = log.toStatus
        actor = log.actor
        actorId = log.actorID
        reason = log.reason
        at = log.createdAt
    }
}

/// `GET /bookings/{id}/cancellation`: what cancelling now would do (nothing is changed by asking).
struct CancellationQuote: Content, Equatable {
    var bookingId: UUID
    /// The status a reader sees (an overdue pending booking is expired).
    var status: BookingStatus
    var cancellable: Bool
    /// The policy's percent for a confirmed booking that can be cancelled; null otherwise.
    var refundPercent: Int?
    /// What the completed payment took.
    var paidMinor: Int
    /// What cancelling now would refund (0 for a pending booking: nothing was paid).
    var refundMinor: Int
    var currency: String
    var startsAt: Date
    /// When this refund stops holding: the next policy tier starts then, or cancelling ends; null when it does not
    /// apply.
    var validUntil: Date?
    /// The outcome in words, for people.
    var message: String
}
