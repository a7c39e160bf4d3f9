import Foundation
import Testing
import VaporTesting

@testable import BoxOffice

/// The cinema booking and payment tests run in, built here through the app's services, so the demo content
/// (`seed-demo`) stays free to change:
/// - an admin `admin@boxoffice.local` / `admin-demo-password`;
/// - Audi 1: rows A–D Classic ₹90, E–H Prime ₹180, J–K Recliner ₹350, 12 seats a row with an aisle after 6,
///   wheelchair places A1 and A12 with companions A2 and A11;
/// - one movie and one show on Audi 1 at 10:00 cinema time, `daysAhead` days after the test clock's today;
/// - GST: tickets 6 % + 6 % up to ₹100, 9 % + 9 % above; food 2.5 % + 2.5 %;
/// - food: popcorn, drinks and snacks, Veg Samosa (200 in stock) and Chicken Nuggets (150 in stock);
/// - promo codes WELCOME10 (10 % up to ₹100 on ₹300 or more, once per customer) and FLAT50 (₹50 off ₹500, 1000 uses).
enum CinemaBuilder {
    static let adminEmail = "admin@boxoffice.local"
    static let adminPassword = "admin-demo-password"

    static let layout = LayoutRequest(
        categories: [
            .init(name: "Classic", basePriceMinor: 9_000, displayOrder: 0),
            .init(name: "Prime", basePriceMinor: 18_000, displayOrder: 1),
            .init(name: "Recliner", basePriceMinor: 35_000, displayOrder: 2),
        ],
        rows: ["A", "B", "C", "D"].map { row in
            LayoutRequest.RowSpec(
                label: row, category: "Classic", seats: 12, aislesAfter: [6], wheelchair: row == "A" ? [1, 12] : nil,
                companion: row == "A" ? [2, 11] : nil)
        }
            + ["E", "F", "G", "H"].map { .init(label: $0, category: "Prime", seats: 12, aislesAfter: [6]) }
            + ["J", "K"].map { .init(label: $0, category: "Recliner", seats: 12, aislesAfter: [6]) })

    static let food: [(name: String, category: String, price: Int, stock: Int?)] = [
        ("Salted Popcorn (Regular)", "Popcorn", 22_000, nil), ("Caramel Popcorn (Large)", "Popcorn", 34_000, nil),
        ("Cola (500 ml)", "Beverages", 18_000, nil), ("Masala Chai", "Beverages", 9_000, nil),
        ("Mineral Water", "Beverages", 6_000, nil), ("Veg Samosa (2 pcs)", "Snacks", 12_000, 200),
        ("Chicken Nuggets (6 pcs)", "Snacks", 24_000, 150),
    ]

    /// Builds it all and returns the show.
    static func build(_ t: TestApp, daysAhead: Int, headers: HTTPHeaders = [:]) async throws -> ShowResponse {
        let box = t.app.boxOffice
        let db = t.app.db
        _ = try await box.adminBootstrap.ensureAdmin(email: adminEmail, password: adminPassword, name: "Admin", on: db)
        let movie = try await box.movies.create(
            CreateMovieRequest(
                title: "Test Feature", description: "A film for tests.", durationMinutes: 140, genres: ["Drama"],
                languages: ["Hindi"], formats: ["2D"], releaseDate: "2026-11-01", rating: 8, certificate: "UA",
                cast: [], crew: [], isActive: true), on: db)
        let screen = try await box.screens.create(CreateScreenRequest(name: "Audi 1", screenType: "standard"), on: db)
        try await box.layouts.apply(layout, to: try screen.requireID(), on: db)
        let date = box.shows.time.localDate(t.clock.now().addingTimeInterval(TimeInterval(daysAhead * 86_400)))
        _ = try await box.shows.create(
            CreateShowRequest(
                movieId: try movie.requireID(), screenId: try screen.requireID(), showDate: date, showTime: "10:00",
                language: "Hindi", format: "2D"), on: db)
        for rate in [
            CreateGSTRateRequest(
                category: "ticket", cgst: Percent(basisPoints: 600), sgst: Percent(basisPoints: 600), minPriceMinor: 0,
                maxPriceMinor: 10_000),
            CreateGSTRateRequest(
                category: "ticket", cgst: Percent(basisPoints: 900), sgst: Percent(basisPoints: 900),
                minPriceMinor: 10_001, maxPriceMinor: nil),
            CreateGSTRateRequest(
                category: "food", cgst: Percent(basisPoints: 250), sgst: Percent(basisPoints: 250), minPriceMinor: 0,
                maxPriceMinor: nil),
        ] {
            _ = try await box.gst.create(rate, on: db)
        }
        var categories: [String: UUID] = [:]
        for name in ["Popcorn", "Beverages", "Snacks"] {
            categories[name] = try await box.food.createCategory(
                CreateFoodCategoryRequest(name: name, gstCategory: "food"), on: db
            ).requireID()
        }
        for item in food {
            _ = try await box.food.createItem(
                CreateFoodItemRequest(
                    name: item.name, description: nil, priceMinor: item.price, categoryId: categories[item.category]!,
                    isVeg: item.name != "Chicken Nuggets (6 pcs)", isAvailable: true, imageUrl: nil, stock: item.stock),
                on: db)
        }
        for code in [
            CreateDiscountRequest(
                promoCode: "WELCOME10", description: nil, discountType: .percent, percent: Percent(basisPoints: 1000),
                maxDiscountMinor: 10_000, flatAmountMinor: nil, minSubtotalMinor: 30_000, startsAt: nil, endsAt: nil,
                isActive: true, usageLimitTotal: nil, usageLimitPerUser: 1, movieId: nil, showId: nil),
            CreateDiscountRequest(
                promoCode: "FLAT50", description: nil, discountType: .flat, percent: nil, maxDiscountMinor: nil,
                flatAmountMinor: 5_000, minSubtotalMinor: 50_000, startsAt: nil, endsAt: nil, isActive: true,
                usageLimitTotal: 1000, usageLimitPerUser: nil, movieId: nil, showId: nil),
        ] {
            _ = try await box.discounts.create(code, on: db)
        }
        let shows = try await t.request(.GET, "/shows?date=\(date)&limit=100", headers: headers)
            .content.decode(Page<ShowResponse>.self)
        return try #require(shows.items.first)
    }
}
