import Foundation

/// The demo cinema's contents.
enum DemoCatalog {
    static let showTimes = ["10:00", "13:30", "17:00", "20:30"]

    static let movies: [CreateMovieRequest] = [
        movie(
            "The Monsoon Heist", 148, ["Thriller", "Action"], ["Hindi", "English"], ["2D", "IMAX"], "UA13+", 8.1,
            "2026-11-06"),
        movie("Starlight Express", 126, ["Drama", "Romance"], ["Hindi"], ["2D"], "U", 7.4, "2026-10-24"),
        movie(
            "Chola: The Tide King", 165, ["Historical", "Action"], ["Tamil", "Telugu", "Hindi"], ["2D", "3D", "IMAX"],
            "UA16+", 8.6, "2026-11-13"),
        movie(
            "Little Tiger", 98, ["Animation", "Family"], ["English", "Hindi"], ["2D", "3D"], "U", 7.9, "2026-11-01"),
        movie("Night Shift", 112, ["Horror"], ["English"], ["2D"], "A", 6.8, "2026-11-20"),
        movie(
            "Cricket Ka Badshah", 139, ["Sports", "Drama"], ["Hindi", "Marathi"], ["2D"], "UA7+", 7.7, "2026-09-12"),
    ]

    private static func movie(
        _ title: String, _ minutes: Int, _ genres: [String], _ languages: [String],
        _ formats: [String], _ certificate: String, _ rating: Double, _ release: String
    ) -> CreateMovieRequest {
        CreateMovieRequest(
            title: title, description: "\(title): a BoxOffice demo film.", durationMinutes: minutes, genres: genres,
            languages: languages, formats: formats, releaseDate: release, rating: rating, certificate: certificate,
            cast: [Credit(name: "Demo Lead", role: "Lead")], crew: [Credit(name: "Demo Director", role: "Director")],
            isActive: true)
    }

    static let categories: [LayoutRequest.CategorySpec] = [
        .init(name: "Classic", basePriceMinor: 9_000, displayOrder: 0),
        .init(name: "Prime", basePriceMinor: 18_000, displayOrder: 1),
        .init(name: "Recliner", basePriceMinor: 35_000, displayOrder: 2),
    ]

    /// 120 seats: 10 rows of 12 with a centre aisle; wheelchair and companion places in row A.
    static let audi1 = LayoutRequest(
        categories: categories,
        rows: ["A", "B", "C", "D"].map { row in
            LayoutRequest.RowSpec(
                label: row, category: "Classic", seats: 12, aislesAfter: [6],
                wheelchair: row == "A" ? [1, 12] : nil, companion: row == "A" ? [2, 11] : nil)
        }
            + ["E", "F", "G", "H"].map { .init(label: $0, category: "Prime", seats: 12, aislesAfter: [6]) }
            + ["J", "K"].map { .init(label: $0, category: "Recliner", seats: 12, aislesAfter: [6]) })

    /// 300 seats: 15 rows of 20 with two aisles.
    static let audi2 = LayoutRequest(
        categories: categories,
        rows: ["A", "B", "C", "D", "E", "F"].map { row in
            LayoutRequest.RowSpec(
                label: row, category: "Classic", seats: 20, aislesAfter: [5, 15],
                wheelchair: row == "A" ? [1, 20] : nil, companion: row == "A" ? [2, 19] : nil)
        }
            + ["G", "H", "J", "K", "L", "M", "N"].map {
                .init(label: $0, category: "Prime", seats: 20, aislesAfter: [5, 15])
            }
            + ["O", "P"].map { .init(label: $0, category: "Recliner", seats: 20, aislesAfter: [5, 15]) })

    static let screens: [(String, String, LayoutRequest)] = [
        ("Audi 1", "standard", audi1),
        ("Audi 2 IMAX", "imax", audi2),
    ]
}
