import FluentKit
import Vapor

/// The database constraints a write may expect to break, each with the one error it becomes. The raw value is the
/// constraint's name on PostgreSQL (a foreign key declared without a name gets PostgreSQL's `<table>_<column>_fkey`);
/// SQLite reports a unique index by its columns instead (`sqliteColumns`), and a foreign key by nothing.
///
/// A write catches only the constraints it can break (`Constraint.mapping(.usersEmail, .usersPhone) { … }`); any
/// other violation goes on to `APIError.from`, which answers a plain 409 `conflict`.
enum Constraint: String, CaseIterable, Sendable {
    // Unique constraints and indexes.
    case usersEmail = "uq_users_email"
    case usersPhone = "uq_users_phone"
    case screensName = "uq_screens_name"
    case seatCategoriesScreenName = "uq_seat_categories_screen_name"
    case seatsScreenLabel = "uq_seats_screen_label"
    case seatsScreenPosition = "uq_seats_screen_position"
    case showCategoryPrices = "uq_show_category_prices"
    case foodCategoriesNameKey = "uq_food_categories_name_key"
    case discountsPromoCode = "uq_discounts_promo_code"
    case feedbackBooking = "uq_feedback_booking"
    case idempotencyKey = "uq_idempotency_user_scope_key"
    case bookingsHold = "uq_bookings_hold"
    case bookingSeatsActive = "uq_booking_seats_active"
    case paymentsOpen = "uq_payments_open"
    case paymentEventsEventID = "uq_payment_events_event_id"
    case checkinsBooking = "uq_checkins_booking"
    // Foreign keys that refuse a delete (`onDelete: .restrict`).
    case foodItemsCategory = "food_items_category_id_fkey"
    case showsMovie = "shows_movie_id_fkey"
    case discountsMovie = "discounts_movie_id_fkey"
    case bookingsDiscount = "bookings_discount_id_fkey"
    case discountRedemptionsDiscount = "discount_redemptions_discount_id_fkey"
    case bookingSeatsSeat = "booking_seats_seat_id_fkey"

    var kind: ConstraintViolation.Kind {
        rawValue.hasSuffix("_fkey") ? .foreignKey : .unique
    }

    /// How SQLite names a violation of this unique index: its `table.column` list.
    var sqliteColumns: String? {
        uniqueColumns.map { index in index.columns.map { "\(index.table).\($0)" }.joined(separator: ", ") }
    }

    private var uniqueColumns: (table: String, columns: [String])? {
        switch self {
        case .usersEmail: return ("users", ["email"])
        case .usersPhone: return ("users", ["phone"])
        case .screensName: return ("screens", ["name"])
        case .seatCategoriesScreenName: return ("seat_categories", ["screen_id", "name"])
        case .seatsScreenLabel: return ("seats", ["screen_id", "label"])
        case .seatsScreenPosition: return ("seats", ["screen_id", "row_label", "column_number"])
        case .showCategoryPrices: return ("show_category_prices", ["show_id", "category_id"])
        case .foodCategoriesNameKey: return ("food_categories", ["name_key"])
        case .discountsPromoCode: return ("discounts", ["promo_code"])
        case .feedbackBooking: return ("feedback", ["booking_id"])
        case .idempotencyKey: return ("idempotency_records", ["user_id", "scope", "key"])
        case .bookingsHold: return ("bookings", ["hold_id"])
        case .bookingSeatsActive: return ("booking_seats", ["show_id", "seat_id"])
        case .paymentsOpen: return ("payments", ["booking_id"])
        case .paymentEventsEventID: return ("payment_events", ["event_id"])
        case .checkinsBooking: return ("checkins", ["booking_id"])
        case .foodItemsCategory, .showsMovie, .discountsMovie, .bookingsDiscount, .discountRedemptionsDiscount,
            .bookingSeatsSeat:
            return nil
        }
    }

    /// The error a violation becomes; `detail` may say it with the request's own words (the name that is taken).
    func error(detail: String? = nil) -> APIError {
        .conflict(entry.code, detail ?? entry.detail)
    }

    private var entry: (code: ErrorCode, detail: String) {
        switch self {
        case .usersEmail, .usersPhone:
            return (.accountExists, "An account with this email or phone already exists.")
        case .screensName: return (.screenNameTaken, "A screen with this name already exists.")
        case .seatCategoriesScreenName:
            return (.categoryExists, "This screen already has a category with this name.")
        case .seatsScreenLabel, .seatsScreenPosition:
            return (.seatExists, "This screen already has a seat with this label or at this position.")
        case .showCategoryPrices: return (.priceExists, "This show already has a price for that category.")
        case .foodCategoriesNameKey:
            return (.foodCategoryExists, "A food category with this name already exists.")
        case .discountsPromoCode: return (.promoCodeExists, "This promo code already exists.")
        case .feedbackBooking: return (.feedbackExists, "This booking already has feedback.")
        case .idempotencyKey: return (.idempotencyConflict, "Retry the request.")
        case .bookingsHold: return (.conflict, "This seat hold was booked by another request.")
        case .bookingSeatsActive:
            return (.seatsUnavailable, "One or more of these seats were booked by someone else.")
        case .paymentsOpen: return (.paymentConflict, "Retry the request.")
        case .paymentEventsEventID: return (.conflict, "This gateway event was already received.")
        case .checkinsBooking: return (.alreadyAdmitted, "This ticket was already admitted.")
        case .foodItemsCategory:
            return (.foodCategoryHasItems, "The category still has items; move or delete them first.")
        case .showsMovie:
            return (.movieHasShows, "The movie has shows and cannot be deleted; deactivate it instead.")
        case .discountsMovie:
            return (
                .movieHasDiscounts, "Promo codes are scoped to this movie; delete them or change their scope first."
            )
        case .bookingsDiscount, .discountRedemptionsDiscount:
            return (
                .discountInUse, "This promo code has been redeemed and cannot be deleted; deactivate it instead."
            )
        case .bookingSeatsSeat:
            return (.seatInUse, "This seat is referenced by bookings; make it unavailable instead.")
        }
    }

    /// Runs `write`, turning a violation of one of `expected` into that constraint's error. Any other error, the
    /// violation of a constraint not listed among them too, goes on unchanged.
    static func mapping<T>(
        _ expected: Constraint..., detail: String? = nil, _ write: () async throws -> T
    ) async throws -> T {
        try await mapping(expected, detail: detail, write)
    }

    static func mapping<T>(
        _ expected: [Constraint], detail: String? = nil, _ write: () async throws -> T
    ) async throws -> T {
        do {
            return try await write()
        } catch let error {
            guard let constraint = ConstraintViolation(error)?.constraint(among: expected) else { throw error }
            throw constraint.error(detail: detail)
        }
    }
}

/// Saves a model, turning a violation of one of `expected` into its 409 instead of a 500.
func saveMappingConflicts<M: Model>(
    _ model: M, on db: any Database, _ expected: Constraint..., detail: String? = nil
) async throws {
    try await Constraint.mapping(expected, detail: detail) { try await model.save(on: db) }
}
