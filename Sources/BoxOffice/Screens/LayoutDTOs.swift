import Vapor

/// A whole seat grid, row by row. Seats are numbered 1…N within a row and labelled row + number (`C7`);
/// `aisles_after` inserts an empty column after those seat numbers, so the map keeps its shape.
struct LayoutRequest: Content {
    var categories: [CategorySpec]?
    var rows: [RowSpec]
    /// Replace an existing grid (allowed only while its seats are not referenced by bookings).
    var replace: Bool?

    struct CategorySpec: Content {
        var name: String
        var basePriceMinor: Int
        var displayOrder: Int?

        init(name: String, basePriceMinor: Int, displayOrder: Int? = nil) {
            self.name = name
            self.basePriceMinor = basePriceMinor
            self.displayOrder = displayOrder
        }
    }

    struct RowSpec: Content {
        var label: String
        /// The name of a category of this screen, or of one in `categories`.
        var category: String
        var seats: Int
        var aislesAfter: [Int]?
        var wheelchair: [Int]?
        var companion: [Int]?
        var blocked: [Int]?

        init(
            label: String, category: String, seats: Int, aislesAfter: [Int]? = nil, wheelchair: [Int]? = nil,
            companion: [Int]? = nil, blocked: [Int]? = nil
        ) {
            self.label = label
            self.category = category
            self.seats = seats
            self.aislesAfter = aislesAfter
            self.wheelchair = wheelchair
            self.companion = companion
            self.blocked = blocked
        }
    }

    init(categories: [CategorySpec]? = nil, rows: [RowSpec], replace: Bool? = nil) {
        self.categories = categories
        self.rows = rows
        self.replace = replace
    }

    func validate() throws {
        var checks = FieldChecks()
        checks.require(!rows.isEmpty && rows.count <= 52, "rows", "must list 1 to 52 rows")
        var labels = Set<String>()
        for (index, category) in (categories ?? []).enumerated() {
            checks.text(category.name, "categories[\(index)].name", max: 60)
            checks.money(category.basePriceMinor, "categories[\(index)].base_price_minor")
        }
        var total = 0
        for (index, row) in rows.enumerated() {
            let field = "rows[\(index)]"
            checks.rowLabel(row.label, "\(field).label")
            checks.require(labels.insert(row.label).inserted, "\(field).label", "repeats another row")
            // Stop before using the count: `1...row.seats` traps when it is below 1.
            guard (1...60).contains(row.seats) else {
                checks.require(false, "\(field).seats", "must be from 1 to 60")
                continue
            }
            total += row.seats
            for (name, numbers) in [
                ("aisles_after", row.aislesAfter), ("wheelchair", row.wheelchair),
                ("companion", row.companion), ("blocked", row.blocked),
            ] {
                let numbers = numbers ?? []
                checks.require(
                    numbers.allSatisfy { (1...row.seats).contains($0) }, "\(field).\(name)",
                    "must be seat numbers from 1 to \(row.seats)")
                checks.require(Set(numbers).count == numbers.count, "\(field).\(name)", "repeats a seat number")
            }
            let special = (row.wheelchair ?? []) + (row.companion ?? []) + (row.blocked ?? [])
            checks.require(Set(special).count == special.count, "\(field)", "gives one seat two kinds")
        }
        checks.require(total <= 2000, "rows", "must add up to at most 2000 seats")
        try checks.throwIfAny()
    }
}
