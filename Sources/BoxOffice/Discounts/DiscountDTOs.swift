import Vapor

/// `POST /discounts` and `PUT /discounts/{id}` (a full replace; `times_used` is never set by a client).
struct CreateDiscountRequest: Content {
    /// Stored upper-cased: `save10` and `SAVE10` are one code.
    var promoCode: String
    var description: String?
    var discountType: DiscountType
    /// Percent type only.
    var percent: Percent?
    /// Percent type only: the most the discount may take off.
    var maxDiscountMinor: Int?
    /// Flat type only.
    var flatAmountMinor: Int?
    var minSubtotalMinor: Int?
    var startsAt: Date?
    var endsAt: Date?
    var isActive: Bool?
    var usageLimitTotal: Int?
    var usageLimitPerUser: Int?
    /// At most one: the code then only applies to this movie's shows, or to this show.
    var movieId: UUID?
    var showId: UUID?

    func validate() throws {
        var checks = FieldChecks()
        let code = Self.normalizedCode(promoCode)
        checks.require(
            (3...30).contains(code.count)
                && code.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || "-_".contains($0)) },
            "promo_code", "must be 3 to 30 letters, digits, - or _")
        if let description { checks.require(description.count <= 500, "description", "must be at most 500 characters") }
        switch discountType {
        case .percent:
            checks.require(
                percent.map { (1...10_000).contains($0.basisPoints) } ?? false, "percent",
                "is required for a percent discount, more than 0 and at most 100")
            if let maxDiscountMinor {
                checks.require(maxDiscountMinor > 0, "max_discount_minor", "must be more than 0")
            }
            checks.require(flatAmountMinor == nil, "flat_amount_minor", "must be left out for a percent discount")
        case .flat:
            checks.require(
                flatAmountMinor.map { $0 > 0 } ?? false, "flat_amount_minor",
                "is required for a flat discount and must be more than 0")
            checks.require(percent == nil, "percent", "must be left out for a flat discount")
            checks.require(maxDiscountMinor == nil, "max_discount_minor", "must be left out for a flat discount")
        }
        for (value, field) in [
            (maxDiscountMinor, "max_discount_minor"), (flatAmountMinor, "flat_amount_minor"),
            (minSubtotalMinor, "min_subtotal_minor"),
        ] {
            if let value { checks.money(value, field) }
        }
        if let startsAt, let endsAt { checks.require(startsAt < endsAt, "ends_at", "must be after starts_at") }
        if let usageLimitTotal { checks.require(usageLimitTotal >= 1, "usage_limit_total", "must be at least 1") }
        if let usageLimitPerUser {
            checks.require(usageLimitPerUser >= 1, "usage_limit_per_user", "must be at least 1")
        }
        checks.require(movieId == nil || showId == nil, "show_id", "cannot be combined with movie_id")
        try checks.throwIfAny()
    }

    static func normalizedCode(_ raw: String) -> String { raw.trimmed.uppercased() }
}

extension CreateDiscountRequest {
    /// The request that would recreate `discount` as it is: the base a PATCH is applied to.
    init(_ discount: Discount) {
        self.init(
            promoCode: discount.promoCode, description: discount.description, discountType: discount.discountType,
            percent: discount.percentBasisPoints.map(Percent.init(basisPoints:)),
            maxDiscountMinor: discount.maxDiscountMinor, flatAmountMinor: discount.flatAmountMinor,
            minSubtotalMinor: discount.minSubtotalMinor, startsAt: discount.startsAt, endsAt: discount.endsAt,
            isActive: discount.isActive, usageLimitTotal: discount.usageLimitTotal,
            usageLimitPerUser: discount.usageLimitPerUser, movieId: discount.$movie.id, showId: discount.$show.id)
    }
}

/// `PATCH /discounts/{id}`: only the fields present change (null counts as absent). Changing `discount_type`
/// drops the old type's amount fields, so send the new type's amount with it.
struct UpdateDiscountRequest: Content {
    var promoCode: String?
    var description: String?
    var discountType: DiscountType?
    var percent: Percent?
    var maxDiscountMinor: Int?
    var flatAmountMinor: Int?
    var minSubtotalMinor: Int?
    var startsAt: Date?
    var endsAt: Date?
    var isActive: Bool?
    var usageLimitTotal: Int?
    var usageLimitPerUser: Int?
    var movieId: UUID?
    var showId: UUID?

    func applied(to base: CreateDiscountRequest) -> CreateDiscountRequest {
        var result = base
        if let discountType, discountType != base.discountType {
            result.discountType = discountType
            (result.percent, result.maxDiscountMinor, result.flatAmountMinor) = (nil, nil, nil)
        }
        if let promoCode { result.promoCode = promoCode }
        if let description { result.description = description }
        if let percent { result.percent = percent }
        if let maxDiscountMinor { result.maxDiscountMinor = maxDiscountMinor }
        if let flatAmountMinor { result.flatAmountMinor = flatAmountMinor }
        if let minSubtotalMinor { result.minSubtotalMinor = minSubtotalMinor }
        if let startsAt { result.startsAt = startsAt }
        if let endsAt { result.endsAt = endsAt }
        if let isActive { result.isActive = isActive }
        if let usageLimitTotal { result.usageLimitTotal = usageLimitTotal }
        if let usageLimitPerUser { result.usageLimitPerUser = usageLimitPerUser }
        // A new scope replaces the old one.
        if let movieId { (result.movieId, result.showId) = (movieId, nil) }
        if let showId { (result.showId, result.movieId) = (showId, movieId) }
        return result
    }
}

struct DiscountResponse: Content {
    var id: UUID
    var promoCode: String
    var description: String?
    var discountType: DiscountType
    var percent: Percent?
    var maxDiscountMinor: Int?
    var flatAmountMinor: Int?
    var minSubtotalMinor: Int
    var startsAt: Date?
    var endsAt: Date?
    var isActive: Bool
    var usageLimitTotal: Int?
    var usageLimitPerUser: Int?
    var movieId: UUID?
    var showId: UUID?
    var timesUsed: Int
    var createdAt: Date?
    var updatedAt: Date?

    init(_ discount: Discount) throws {
        id = try discount.requireID()
        promoCode = discount.promoCode
        description = discount.description
        discountType = discount.discountType
        percent = discount.percentBasisPoints.map(Percent.init(basisPoints:))
        maxDiscountMinor = discount.maxDiscountMinor
        flatAmountMinor = discount.flatAmountMinor
        minSubtotalMinor = discount.minSubtotalMinor
        startsAt = discount.startsAt
        endsAt = discount.endsAt
        isActive = discount.isActive
        usageLimitTotal = discount.usageLimitTotal
        usageLimitPerUser = discount.usageLimitPerUser
        movieId = discount.$movie.id
        showId = discount.$show.id
        timesUsed = discount.timesUsed
        createdAt = discount.createdAt
        updatedAt = discount.updatedAt
    }
}

/// `POST /discounts/validate`: would this code apply to this show and subtotal, and how much would it take off?
struct ValidateDiscountRequest: Content {
    var code: String
    var showId: UUID
    /// Seats plus food, before discount and GST.
    var subtotalMinor: Int

    func validate() throws {
        var checks = FieldChecks()
        checks.text(code, "code", max: 30)
        checks.money(subtotalMinor, "subtotal_minor")
        try checks.throwIfAny()
    }
}

struct DiscountValidationResponse: Content {
    var code: String
    var discountType: DiscountType
    var discountMinor: Int
    var subtotalMinor: Int
    var totalAfterDiscountMinor: Int

    init(_ quote: DiscountQuote) {
        code = quote.code
        discountType = quote.discountType
        discountMinor = quote.discountMinor
        subtotalMinor = quote.subtotalMinor
        totalAfterDiscountMinor = quote.totalAfterDiscountMinor
    }
}
