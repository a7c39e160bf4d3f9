import Foundation
import Rules

/// SplitMix64: a small seeded generator, so every run scatters the taken seats the same way.
struct SplitMix64: RandomNumberGenerator {
    var state: UInt64

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// A screen's seats as BestAvailable sees them, with `takenShare` of the standard seats taken at random.
///
/// Each row has `sections` of seats separated by one-column aisles; the back two thirds of the rows are
/// Gold, the rest Silver. The last row's side sections have a wheelchair space at each end with two companion
/// seats beside it (W C C W on 4 seats, W C C · · C C W on 8), all kept free. Seat ids are deterministic.
func layout(rows: Int, sections: [Int], takenShare: Double, seed: UInt64) -> [BestAvailable.Seat] {
    let silver = UUID(uuidString: "00000000-0000-0000-0000-00000000005A")!
    let gold = UUID(uuidString: "00000000-0000-0000-0000-00000000006A")!
    var random = SplitMix64(state: seed)
    var seats: [BestAvailable.Seat] = []
    for rowIndex in 0..<rows {
        let row = String(UnicodeScalar(UInt8(65 + rowIndex)))
        var column = 0
        for (sectionIndex, width) in sections.enumerated() {
            column += sectionIndex == 0 ? 0 : 1  // the aisle
            for place in 0..<width {
                column += 1
                var kind = SeatKind.standard
                let side = sectionIndex == 0 || sectionIndex == sections.count - 1
                if rowIndex == rows - 1 && side {
                    // W C C W at each side section's ends.
                    kind =
                        place == 0 || place == width - 1
                        ? .wheelchair : place <= 2 || place >= width - 3 ? .companion : kind
                }
                let taken = kind == .standard && Double.random(in: 0..<1, using: &random) < takenShare
                seats.append(
                    .init(
                        id: UUID(uuid: uuidBytes(seats.count)), label: "\(row)\(column)", row: row, column: column,
                        categoryId: rowIndex >= rows / 3 ? gold : silver, kind: kind, isFree: !taken))
            }
        }
    }
    return seats
}

/// `00000000-0000-0000-0000-<n>` as raw bytes.
private func uuidBytes(_ n: Int) -> uuid_t {
    let v = UInt64(n)
    func byte(_ shift: UInt64) -> UInt8 { UInt8(truncatingIfNeeded: v >> shift) }
    return (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, byte(40), byte(32), byte(24), byte(16), byte(8), byte(0))
}
