import Foundation
import Testing
import Rules

@Suite("Best available: choosing a block")
struct BestAvailableTests {
    /// A grid from a picture: one string per row, front row first. `.` free, `x` taken, `W` wheelchair,
    /// `C` companion, `|` an aisle (an empty column).
    static func grid(_ rows: [String]) -> [BestAvailable.Seat] {
        var seats: [BestAvailable.Seat] = []
        let category = UUID(uuidString: "00000000-0000-0000-0000-0000000000CA")!
        for (index, row) in rows.enumerated() {
            let label = String(UnicodeScalar(UInt8(65 + index)))
            for (offset, character) in row.enumerated() where character != "|" {
                let kind: SeatKind = character == "W" ? .wheelchair : character == "C" ? .companion : .standard
                seats.append(
                    .init(
                        id: UUID(), label: "\(label)\(offset + 1)", row: label, column: offset + 1,
                        categoryId: category, kind: kind, isFree: character != "x"))
            }
        }
        return seats
    }

    static func labels(_ seats: [BestAvailable.Seat]?) -> [String] { seats?.map(\.label) ?? [] }

    @Test func prefersTwoThirdsBackInTheCentre() {
        let seats = Self.grid(["........", "........", "........", "........"])
        // Four rows: the sweet spot is row C (index 2); the centre of 8 columns is between 4 and 5.
        #expect(Self.labels(BestAvailable.choose(from: seats, count: 2)) == ["C4", "C5"])
    }

    @Test func neverStrandsASingleSeatWhenAnotherChoiceExists() {
        // Row A: taking 2..3 would leave seat 1 alone; 1..2 or 3..4 are fine.
        let seats = Self.grid(["....x"])
        let chosen = Self.labels(BestAvailable.choose(from: seats, count: 2))
        #expect(chosen == ["A1", "A2"] || chosen == ["A3", "A4"])
        #expect(chosen != ["A2", "A3"])
    }

    @Test func strandsOnlyWhenNothingElseFits() {
        let seats = Self.grid(["x...x"])  // three free: any pair leaves one alone
        #expect(BestAvailable.choose(from: seats, count: 2)?.count == 2)
    }

    @Test func anAisleBreaksAdjacencyAndTheRowEndCounts() {
        let seats = Self.grid(["..|.."])
        #expect(BestAvailable.choose(from: seats, count: 3) == nil)
        #expect(Self.labels(BestAvailable.choose(from: seats, count: 2)).count == 2)
    }

    @Test func accessibleBlocksPairAWheelchairWithItsCompanion() {
        let seats = Self.grid(["WC......CW", ".........."])
        let pair = Self.labels(BestAvailable.choose(from: seats, count: 2, accessible: true))
        #expect(pair == ["A1", "A2"] || pair == ["A9", "A10"])
        // Standard requests leave those places alone.
        let standard = BestAvailable.choose(from: seats, count: 2)
        #expect(standard?.allSatisfy { $0.kind == .standard } == true)
        #expect(
            BestAvailable.choose(from: Self.grid(["xC......CW"]), count: 2, accessible: true).map(Self.labels) == [
                "A9", "A10",
            ])
    }

    @Test func nothingFitsGivesNil() {
        #expect(BestAvailable.choose(from: Self.grid(["x.x.x", ".x.x."]), count: 2) == nil)
        #expect(BestAvailable.choose(from: Self.grid(["...."]), count: 2, accessible: true) == nil)
        #expect(BestAvailable.choose(from: [], count: 1) == nil)
    }

    @Test func categoryFilterIsHonoured() {
        var seats = Self.grid(["....", "...."])
        let other = UUID()
        for index in seats.indices where seats[index].row == "A" { seats[index].categoryId = other }
        #expect(BestAvailable.choose(from: seats, count: 2, categoryId: other)?.allSatisfy { $0.row == "A" } == true)
    }
}
