import Fluent
import Vapor

extension DemoSeeder {
    /// GST as India charges it (tickets 12 % up to ₹100, 18 % above; food 5 %), food and two promo codes.
    func seedOffers(_ report: inout Report) async throws {
        let db = app.db
        let gst = app.boxOffice.gst
        for rate in DemoCatalog.gstRates {
            let existing = try await GSTRate.query(on: db).filter(\.$category == rate.category)
                .filter(\.$minPriceMinor == rate.minPriceMinor).count()
            guard existing == 0 else { continue }
            _ = try await gst.create(rate, on: db)
            report.created["gst_rates", default: 0] += 1
        }

        let food = app.boxOffice.food
        var categories: [String: UUID] = [:]
        for (name, gstCategory) in DemoCatalog.foodCategories {
            if let existing = try await FoodCategory.query(on: db).filter(\.$nameKey == name.lowercased()).first() {
                categories[name] = try existing.requireID()
                continue
            }
            let created = try await food.createCategory(
                CreateFoodCategoryRequest(name: name, gstCategory: gstCategory), on: db)
            categories[name] = try created.requireID()
            report.created["food_categories", default: 0] += 1
        }
        for item in DemoCatalog.foodItems {
            guard let categoryID = categories[item.category],
                try await FoodItem.query(on: db).filter(\.$name == item.name).count() == 0
            else { continue }
            _ = try await food.createItem(
                CreateFoodItemRequest(
                    name: item.name, description: item.description,
                    priceMinor: item.priceMinor, categoryId: categoryID, isVeg: item.isVeg, isAvailable: true,
                    imageUrl: nil, stock: item.stock), on: db)
            report.created["food_items", default: 0] += 1
        }

        let discounts = app.boxOffice.discounts
        for code in DemoCatalog.promoCodes {
            guard try await Discount.query(on: db).filter(\.$promoCode == code.promoCode).count() == 0 else { continue }
            _ = try await discounts.create(code, on: db)
            report.created["promo_codes", default: 0] += 1
        }
    }
}

extension DemoCatalog {
    static let gstRates: [CreateGSTRateRequest] = [
        CreateGSTRateRequest(
            category: "ticket", cgst: Percent(basisPoints: 600), sgst: Percent(basisPoints: 600),
            minPriceMinor: 0, maxPriceMinor: 10_000),
        CreateGSTRateRequest(
            category: "ticket", cgst: Percent(basisPoints: 900), sgst: Percent(basisPoints: 900),
            minPriceMinor: 10_001, maxPriceMinor: nil),
        CreateGSTRateRequest(
            category: "food", cgst: Percent(basisPoints: 250), sgst: Percent(basisPoints: 250),
            minPriceMinor: 0, maxPriceMinor: nil),
    ]

    static let foodCategories = [("Popcorn", "food"), ("Beverages", "food"), ("Snacks", "food")]

    struct FoodSpec {
        var name: String
        var category: String
        var priceMinor: Int
        var isVeg: Bool
        var description: String
        var stock: Int? = nil
    }

    static let foodItems: [FoodSpec] = [
        FoodSpec(
            name: "Salted Popcorn (Regular)", category: "Popcorn", priceMinor: 22_000, isVeg: true,
            description: "Classic salted, 90 g"),
        FoodSpec(
            name: "Caramel Popcorn (Large)", category: "Popcorn", priceMinor: 34_000, isVeg: true,
            description: "Caramel glazed, 150 g"),
        FoodSpec(
            name: "Cheese Popcorn (Large)", category: "Popcorn", priceMinor: 36_000, isVeg: true,
            description: "Cheddar dusted, 150 g"),
        FoodSpec(
            name: "Cola (500 ml)", category: "Beverages", priceMinor: 18_000, isVeg: true, description: "Chilled cola"),
        FoodSpec(
            name: "Masala Chai", category: "Beverages", priceMinor: 9_000, isVeg: true, description: "Hot spiced tea"),
        FoodSpec(name: "Mineral Water", category: "Beverages", priceMinor: 6_000, isVeg: true, description: "1 litre"),
        FoodSpec(
            name: "Veg Samosa (2 pcs)", category: "Snacks", priceMinor: 12_000, isVeg: true,
            description: "With mint chutney", stock: 200),
        FoodSpec(
            name: "Chicken Nuggets (6 pcs)", category: "Snacks", priceMinor: 24_000, isVeg: false,
            description: "With dip", stock: 150),
    ]

    static let promoCodes: [CreateDiscountRequest] = [
        CreateDiscountRequest(
            promoCode: "WELCOME10", description: "10% off, up to ₹100, on ₹300 or more",
            discountType: .percent, percent: Percent(basisPoints: 1000), maxDiscountMinor: 10_000, flatAmountMinor: nil,
            minSubtotalMinor: 30_000, startsAt: nil, endsAt: nil, isActive: true, usageLimitTotal: nil,
            usageLimitPerUser: 1, movieId: nil, showId: nil),
        CreateDiscountRequest(
            promoCode: "FLAT50", description: "₹50 off on ₹500 or more", discountType: .flat,
            percent: nil, maxDiscountMinor: nil, flatAmountMinor: 5_000, minSubtotalMinor: 50_000, startsAt: nil,
            endsAt: nil, isActive: true, usageLimitTotal: 1000, usageLimitPerUser: nil, movieId: nil, showId: nil),
    ]
}
