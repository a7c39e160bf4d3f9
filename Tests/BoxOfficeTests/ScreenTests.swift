import Foundation
import Testing
import VaporTesting
@testable import BoxOffice

@Suite("Screens, categories, seats, layouts")
struct ScreenTests {
    @Test func layoutCreatesTheWholeGridWithCounts() async throws {
        try await withTestApp { t in
            let admin = try await t.admin()
            let screen = try await t.makeScreen(admin)
            #expect(screen.totalSeats == 28)
            #expect(screen.capacity == 27)  // A10 is blocked
            #expect(screen.kinds == ["standard": 25, "wheelchair": 1, "companion": 1, "blocked": 1])
            #expect(screen.categories.map(\.name) == ["Classic", "Prime"])
            #expect(screen.categories.map(\.seats) == [20, 8])

            let seats = try await t.request(.GET, "/seats?screen_id=\(screen.id)&limit=100").content.decode(
                Page<SeatResponse>.self)
            #expect(seats.total == 28)
            let rowA = seats.items.filter { $0.rowLabel == "A" }.sorted { $0.column < $1.column }
            // The aisle after seat 5 leaves column 6 empty: A6 sits in column 7.
            #expect(rowA.map(\.column) == [1, 2, 3, 4, 5, 7, 8, 9, 10, 11])
            #expect(rowA.first { $0.label == "A6" }?.column == 7)
            #expect(rowA.first { $0.label == "A1" }?.kind == .wheelchair)

            let fetched = try await t.request(.GET, "/screens/\(screen.id)").content.decode(ScreenResponse.self)
            #expect(fetched.capacity == 27)
        }
    }

    @Test func layoutIsAllOrNothingAndRefusesUnknownCategories() async throws {
        try await withTestApp { t in
            let admin = try await t.admin()
            let created = try await t.request(
                .POST, "/screens", json: ["name": "Audi 9", "screen_type": "imax"], token: admin.accessToken)
            let screen = try created.content.decode(ScreenResponse.self)
            let bad = LayoutRequest(
                categories: [.init(name: "Gold", basePriceMinor: 30000)],
                rows: [
                    .init(label: "A", category: "Gold", seats: 5),
                    .init(label: "B", category: "Platinum", seats: 5),
                ])
            let response = try await t.request(
                .POST, "/screens/\(screen.id)/layout", json: bad, token: admin.accessToken)
            #expect(response.status == .unprocessableEntity)
            #expect(response.problem?.errors?.first?.field == "rows[1].category")
            #expect(try await Seat.query(on: t.app.db).count() == 0)
            #expect(try await SeatCategory.query(on: t.app.db).count() == 0)
        }
    }

    @Test func layoutValidationNamesTheField() async throws {
        try await withTestApp { t in
            let admin = try await t.admin()
            let screen = try await t.makeScreen(admin)
            let bad = LayoutRequest(
                categories: nil,
                rows: [
                    .init(label: "a", category: "Classic", seats: 0),
                    .init(label: "B", category: "Classic", seats: 4, wheelchair: [9]),
                ], replace: true)
            let response = try await t.request(
                .POST, "/screens/\(screen.id)/layout", json: bad, token: admin.accessToken)
            #expect(response.status == .unprocessableEntity)
            let fields = Set(response.problem?.errors?.map(\.field) ?? [])
            #expect(fields.isSuperset(of: ["rows[0].label", "rows[0].seats", "rows[1].wheelchair"]))
        }
    }

    @Test func replacingALayoutNeedsReplaceTrue() async throws {
        try await withTestApp { t in
            let admin = try await t.admin()
            let screen = try await t.makeScreen(admin)
            let again = try await t.request(
                .POST, "/screens/\(screen.id)/layout", json: TestApp.smallLayout, token: admin.accessToken)
            #expect(again.status == .conflict)
            #expect(again.problem?.code == "layout_exists")
            var smaller = LayoutRequest(categories: nil, rows: [.init(label: "A", category: "Prime", seats: 6)])
            smaller.replace = true
            let replaced = try await t.request(
                .POST, "/screens/\(screen.id)/layout", json: smaller, token: admin.accessToken)
            #expect(replaced.status == .created)
            let body = try replaced.content.decode(ScreenResponse.self)
            #expect(body.totalSeats == 6)
            #expect(body.categories.first { $0.name == "Prime" }?.seats == 6)
        }
    }

    @Test func screenWritesAreAdminOnlyAndNamesUnique() async throws {
        try await withTestApp { t in
            let admin = try await t.admin()
            let user = try await t.customer()
            let body = ["name": "Audi 1", "screen_type": "standard"]
            #expect(try await t.request(.POST, "/screens", json: body).status == .unauthorized)
            #expect(try await t.request(.POST, "/screens", json: body, token: user.accessToken).status == .forbidden)
            #expect(try await t.request(.POST, "/screens", json: body, token: admin.accessToken).status == .created)
            let duplicate = try await t.request(.POST, "/screens", json: body, token: admin.accessToken)
            #expect(duplicate.status == .conflict)
            let blank = try await t.request(
                .POST, "/screens", json: ["name": " ", "screen_type": "x"], token: admin.accessToken)
            #expect(blank.problem?.errors?.first?.field == "name")
            #expect(try await t.request(.GET, "/screens").content.decode(Page<ScreenResponse>.self).total == 1)
        }
    }

    @Test func seatsAndCategoriesValidateAndConflict() async throws {
        try await withTestApp { t in
            let admin = try await t.admin()
            let screen = try await t.makeScreen(admin)
            let other = try await t.makeScreen(admin)
            let classic = try #require(screen.categories.first { $0.name == "Classic" })
            let foreign = try #require(other.categories.first)

            let negative = try await t.request(
                .POST, "/seat-categories",
                json: SeatCategoryRequest(
                    screenId: screen.id, name: "Cheap", basePriceMinor: -1, displayOrder: nil), token: admin.accessToken
            )
            #expect(negative.status == .unprocessableEntity)
            #expect(negative.problem?.errors?.first?.field == "base_price_minor")
            let sameName = try await t.request(
                .POST, "/seat-categories",
                json: SeatCategoryRequest(
                    screenId: screen.id, name: "Classic", basePriceMinor: 100, displayOrder: nil),
                token: admin.accessToken)
            #expect(sameName.status == .conflict)

            let duplicateLabel = try await t.request(
                .POST, "/seats",
                json: CreateSeatRequest(
                    screenId: screen.id, categoryId: classic.categoryId, rowLabel: "D", column: 1, label: "A1"),
                token: admin.accessToken)
            #expect(duplicateLabel.status == .conflict)
            let samePosition = try await t.request(
                .POST, "/seats",
                json: CreateSeatRequest(
                    screenId: screen.id, categoryId: classic.categoryId, rowLabel: "A", column: 1, label: "Z9"),
                token: admin.accessToken)
            #expect(samePosition.status == .conflict)
            let foreignCategory = try await t.request(
                .POST, "/seats",
                json: CreateSeatRequest(
                    screenId: screen.id, categoryId: foreign.categoryId, rowLabel: "D", column: 1),
                token: admin.accessToken)
            #expect(foreignCategory.status == .unprocessableEntity)
            #expect(foreignCategory.problem?.errors?.first?.field == "category_id")
            let added = try await t.request(
                .POST, "/seats",
                json: CreateSeatRequest(
                    screenId: screen.id, categoryId: classic.categoryId, rowLabel: "D", column: 3),
                token: admin.accessToken)
            #expect(added.status == .created)
            #expect(try added.content.decode(SeatResponse.self).label == "D3")

            let inUse = try await t.request(.DELETE, "/seat-categories/\(classic.categoryId)", token: admin.accessToken)
            #expect(inUse.status == .conflict)
        }
    }
}

extension CreateSeatRequest {
    init(screenId: UUID, categoryId: UUID, rowLabel: String, column: Int, label: String? = nil) {
        self.init(
            screenId: screenId, categoryId: categoryId, rowLabel: rowLabel, column: column, label: label, kind: nil,
            isAvailable: nil)
    }
}
