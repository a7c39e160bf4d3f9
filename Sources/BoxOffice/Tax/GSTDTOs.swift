import Vapor

/// `POST /gst` and `PUT /gst/{id}`: one slab of a GST category.
struct CreateGSTRateRequest: Content {
    /// `ticket`, or the `gst_category` of food categories (e.g. `food`); stored lower-cased.
    var category: String
    var cgst: Percent
    var sgst: Percent
    /// Inclusive bounds of the undiscounted unit price; absent = open.
    var minPriceMinor: Int?
    var maxPriceMinor: Int?

    func validate() throws {
        var checks = FieldChecks()
        checks.text(category, "category", max: 50)
        checks.require((0...10_000).contains(cgst.basisPoints), "cgst", "must be from 0 to 100")
        checks.require((0...10_000).contains(sgst.basisPoints), "sgst", "must be from 0 to 100")
        if let minPriceMinor { checks.money(minPriceMinor, "min_price_minor") }
        if let maxPriceMinor { checks.money(maxPriceMinor, "max_price_minor") }
        if let minPriceMinor, let maxPriceMinor {
            checks.require(minPriceMinor <= maxPriceMinor, "max_price_minor", "must not be below min_price_minor")
        }
        try checks.throwIfAny()
    }
}

struct GSTRateResponse: Content {
    var id: UUID
    var category: String
    var cgst: Percent
    var sgst: Percent
    var minPriceMinor: Int?
    var maxPriceMinor: Int?
    var createdAt: Date?
    var updatedAt: Date?

    init(_ rate: GSTRate) throws {
        id = try rate.requireID()
        category = rate.category
        cgst = Percent(basisPoints: rate.cgstBasisPoints)
        sgst = Percent(basisPoints: rate.sgstBasisPoints)
        minPriceMinor = rate.minPriceMinor
        maxPriceMinor = rate.maxPriceMinor
        createdAt = rate.createdAt
        updatedAt = rate.updatedAt
    }
}
