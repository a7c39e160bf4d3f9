import Fluent
import Pricing
import Rules
import Vapor

/// What a promo code takes off one subtotal.
struct DiscountQuote: Sendable {
    var discountID: UUID
    var code: String
    var discountType: DiscountType
    var subtotalMinor: Int
    var discountMinor: Int
    var totalAfterDiscountMinor: Int { subtotalMinor - discountMinor }
}

/// Promo codes: admin CRUD, and the one evaluation path `POST /discounts/validate` and bookings share.
struct DiscountService: Sendable {
    let clock: any AppClock

    func list(isActive: Bool?, code: String?, page: PageRequest, on db: any Database) async throws -> Page<
        DiscountResponse
    > {
        let query = Discount.query(on: db)
        if let isActive { query.filter(\.$isActive == isActive) }
        if let code { query.filter("promo_code", containsLiterally: CreateDiscountRequest.normalizedCode(code)) }
        return try await query.sort(\.$promoCode).sort(\.$id).page(page, map: DiscountResponse.init)
    }

    func require(_ id: UUID, on db: any Database) async throws -> Discount {
        guard let discount = try await Discount.find(id, on: db) else { throw APIError.notFound("Discount") }
        return discount
    }

    func create(_ request: CreateDiscountRequest, on db: any Database) async throws -> Discount {
        let discount = Discount()
        discount.timesUsed = 0
        return try await save(request, to: discount, on: db)
    }

    func replace(_ id: UUID, with request: CreateDiscountRequest, on db: any Database) async throws -> Discount {
        try await save(request, to: try await require(id, on: db), on: db)
    }

    func update(_ id: UUID, with patch: UpdateDiscountRequest, on db: any Database) async throws -> Discount {
        let discount = try await require(id, on: db)
        return try await save(patch.applied(to: CreateDiscountRequest(discount)), to: discount, on: db)
    }

    /// A code that was ever redeemed stays, for the bookings that used it: deactivate it instead.
    func delete(_ id: UUID, on db: any Database) async throws {
        let discount = try await require(id, on: db)
        let redemptions = try await DiscountRedemption.query(on: db).filter(\.$discount.$id == id).count()
        guard discount.timesUsed == 0, redemptions == 0 else { throw inUse }
        try await Constraint.mapping(.discountRedemptionsDiscount, .bookingsDiscount) {
            try await discount.delete(on: db)
        }
    }

    /// A code that is switched off or not yet started is unpublished: to a customer it does not exist, so guessing
    /// codes finds only live ones (and expired ones, which were public). `revealUnpublished` (admins) tells them apart.
    ///
    /// Checks, in this order, that the code exists (422 `invalid_code`), is active, has started, has not ended
    /// (`starts_at` inclusive, `ends_at` exclusive, against the injected clock), applies to the show or its movie,
    /// that the subtotal reaches its minimum and that neither the total nor the caller's per-user limit is used
    /// up (409 with the reason as `code`); then prices it.
    ///
    /// The total limit reads `times_used`; the per-user limit counts this user's `discount_redemptions`. Both are
    /// reserved when a booking is created (`BookingResources.reserveDiscount`, which checks again atomically) and
    /// given back when it expires or is cancelled, so pending bookings count.
    func evaluate(
        code: String, showID: UUID, subtotalMinor: Int, userID: UUID, revealUnpublished: Bool = false,
        excludingBooking: UUID? = nil, on db: any Database
    ) async throws -> DiscountQuote {
        guard
            let discount = try await Discount.query(on: db)
                .filter(\.$promoCode == CreateDiscountRequest.normalizedCode(code)).first()
        else { throw noSuchCode }
        guard let show = try await Show.find(showID, on: db) else {
            throw APIError.validation(field: "show_id", "does not name a show")
        }
        let discountID = try discount.requireID()
        var usedByUser: Int?
        // An exchange re-checks the code its booking already uses: that use is not counted against it.
        var ownUse = 0
        if let excludingBooking {
            ownUse = try await DiscountRedemption.query(on: db).filter(\.$discount.$id == discountID)
                .filter(\.$bookingID == excludingBooking).count()
        }
        if discount.usageLimitPerUser != nil {
            usedByUser =
                try await DiscountRedemption.query(on: db)
                .filter(\.$discount.$id == discountID).filter(\.$user.$id == userID).count() - ownUse
        }
        let terms = DiscountEligibility.Terms(
            isActive: discount.isActive, startsAt: discount.startsAt, endsAt: discount.endsAt,
            movieID: discount.$movie.id, showID: discount.$show.id, minSubtotal: discount.minSubtotalMinor,
            usageLimitTotal: discount.usageLimitTotal, timesUsed: discount.timesUsed - ownUse,
            usageLimitPerUser: discount.usageLimitPerUser)
        if let refused = DiscountEligibility.refusal(
            terms, now: clock.now(), showID: showID, movieID: show.$movie.id,
            subtotal: subtotalMinor, usedByUser: usedByUser)
        {
            if !revealUnpublished, refused == .inactive || refused == .notStarted { throw noSuchCode }
            throw refusal(refused, minSubtotal: discount.minSubtotalMinor)
        }
        return DiscountQuote(
            discountID: discountID, code: discount.promoCode, discountType: discount.discountType,
            subtotalMinor: subtotalMinor, discountMinor: Self.amount(of: discount, on: subtotalMinor))
    }

    /// Percent: subtotal × percent, rounded half-up to the paisa, then capped; flat: the amount.
    /// Never more than the subtotal.
    static func amount(of discount: Discount, on subtotalMinor: Int) -> Int {
        rule(of: discount).amount(for: subtotalMinor)
    }

    /// The pricing engine's view of a promo code, so validation and bookings compute it the same way.
    static func rule(of discount: Discount) -> DiscountRule {
        switch discount.discountType {
        case .percent: return .percent(basisPoints: discount.percentBasisPoints ?? 0, cap: discount.maxDiscountMinor)
        case .flat: return .flat(discount.flatAmountMinor ?? 0)
        }
    }

    private var noSuchCode: APIError {
        APIError(
            .unprocessableEntity, code: .invalidPromoCode, detail: "There is no such promo code.",
            fieldErrors: [FieldError(field: "code", message: "is not a promo code")])
    }

    private var inUse: APIError {
        .conflict(.discountInUse, "This promo code has been redeemed and cannot be deleted; deactivate it instead.")
    }

    /// The client-facing code and words of each refusal.
    private func refusal(_ refusal: DiscountEligibility.Refusal, minSubtotal: Int) -> APIError {
        switch refusal {
        case .inactive: return .conflict(.promoInactive, "This promo code is not active.")
        case .notStarted: return .conflict(.promoNotStarted, "This promo code is not valid yet.")
        case .expired: return .conflict(.promoExpired, "This promo code has expired.")
        case .notApplicableMovie: return .conflict(.promoNotApplicable, "This promo code does not apply to this movie.")
        case .notApplicableShow: return .conflict(.promoNotApplicable, "This promo code does not apply to this show.")
        case .belowMinSubtotal:
            return .conflict(.belowMinSubtotal, "This promo code needs a subtotal of at least \(minSubtotal) paise.")
        case .exhaustedTotal: return .conflict(.usageExhausted, "This promo code has been used up.")
        case .exhaustedForUser: return .conflict(.usageExhausted, "You have already used this promo code.")
        }
    }

    private func save(_ request: CreateDiscountRequest, to discount: Discount, on db: any Database) async throws
        -> Discount
    {
        try request.validate()
        var checks = FieldChecks()
        if let movieID = request.movieId {
            checks.require(try await Movie.find(movieID, on: db) != nil, "movie_id", "does not name a movie")
        }
        if let showID = request.showId {
            checks.require(try await Show.find(showID, on: db) != nil, "show_id", "does not name a show")
        }
        try checks.throwIfAny()
        let code = CreateDiscountRequest.normalizedCode(request.promoCode)
        let duplicates = Discount.query(on: db).filter(\.$promoCode == code)
        if let id = discount.id { duplicates.filter(\.$id != id) }
        guard try await duplicates.count() == 0 else { throw exists(code) }
        discount.promoCode = code
        discount.description = request.description?.trimmed
        discount.discountType = request.discountType
        discount.percentBasisPoints = request.percent?.basisPoints
        discount.maxDiscountMinor = request.maxDiscountMinor
        discount.flatAmountMinor = request.flatAmountMinor
        discount.minSubtotalMinor = request.minSubtotalMinor ?? 0
        discount.startsAt = request.startsAt
        discount.endsAt = request.endsAt
        discount.isActive = request.isActive ?? true
        discount.usageLimitTotal = request.usageLimitTotal
        discount.usageLimitPerUser = request.usageLimitPerUser
        discount.$movie.id = request.movieId
        discount.$show.id = request.showId
        // Lost a race for the same code.
        try await saveMappingConflicts(discount, on: db, .discountsPromoCode, detail: exists(code).detail)
        return discount
    }

    private func exists(_ code: String) -> APIError {
        .conflict(.promoCodeExists, "The promo code \(code) already exists.")
    }
}
