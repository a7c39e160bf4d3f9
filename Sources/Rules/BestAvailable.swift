import Foundation

/// Picks the best block of adjacent seats in one row. Pure: it sees a seat map, not a database.
///
/// Adjacent means consecutive columns, so an aisle breaks a block. Blocks that would leave a single
/// empty seat stranded (between the block and a taken seat, an aisle or the row end) are used only when
/// nothing else fits. Among the rest the block nearest the sweet spot wins: about two thirds of the way
/// back, in the middle of the screen's width.
public enum BestAvailable {
    public struct Seat: Sendable, Equatable {
        public var id: UUID
        public var label: String
        public var row: String
        public var column: Int
        public var categoryId: UUID
        public var kind: SeatKind
        /// Sellable and neither held nor booked.
        public var isFree: Bool

        public init(id: UUID, label: String, row: String, column: Int, categoryId: UUID, kind: SeatKind, isFree: Bool) {
            self.id = id
            self.label = label
            self.row = row
            self.column = column
            self.categoryId = categoryId
            self.kind = kind
            self.isFree = isFree
        }
    }

    public static func choose(from seats: [Seat], count: Int, categoryId: UUID? = nil, accessible: Bool = false)
        -> [Seat]?
    {
        guard count > 0 else { return nil }
        let rows = Dictionary(grouping: seats, by: \.row)
        let order = rows.keys.sorted { ($0.count, $0) < ($1.count, $1) }
        let columns = seats.map(\.column)
        guard let minColumn = columns.min(), let maxColumn = columns.max() else { return nil }
        let centre = Double(minColumn + maxColumn) / 2
        let targetRow = Double(order.count - 1) * 2 / 3

        var best: (score: Double, seats: [Seat])?
        for (rowIndex, label) in order.enumerated() {
            for segment in segments(of: rows[label] ?? []) where segment.count >= count {
                for start in 0...(segment.count - count) {
                    let block = Array(segment[start..<(start + count)])
                    guard fits(block, categoryId: categoryId, accessible: accessible) else { continue }
                    let strands = leavesSingle(segment, start: start, end: start + count - 1)
                    let middle = Double(block[0].column + block[count - 1].column) / 2
                    // A stranding block always ranks after every block that strands nobody.
                    let score =
                        abs(Double(rowIndex) - targetRow) * 10 + abs(middle - centre) + (strands ? 1_000_000 : 0)
                    if let current = best, current.score <= score { continue }
                    best = (score, block)
                }
            }
        }
        return best?.seats
    }

    /// Runs of seats in consecutive columns.
    private static func segments(of row: [Seat]) -> [[Seat]] {
        var result: [[Seat]] = []
        for seat in row.sorted(by: { $0.column < $1.column }) {
            if let last = result.last?.last, last.column + 1 == seat.column {
                result[result.count - 1].append(seat)
            } else {
                result.append([seat])
            }
        }
        return result
    }

    private static func fits(_ block: [Seat], categoryId: UUID?, accessible: Bool) -> Bool {
        guard block.allSatisfy({ $0.isFree && $0.kind != .blocked }) else { return false }
        if let categoryId, !block.allSatisfy({ $0.categoryId == categoryId }) { return false }
        if accessible {
            let wheelchairs = block.filter { $0.kind == .wheelchair }.count
            let companions = block.filter { $0.kind == .companion }.count
            return wheelchairs >= 1 && (block.count == 1 || companions >= 1)
        }
        // Wheelchair and companion places are kept for those who ask for them.
        return block.allSatisfy { $0.kind == .standard }
    }

    /// True when the block leaves exactly one free seat between itself and a taken seat or the segment's end.
    private static func leavesSingle(_ segment: [Seat], start: Int, end: Int) -> Bool {
        func single(at index: Int, beyond next: Int) -> Bool {
            guard segment.indices.contains(index), segment[index].isFree else { return false }
            return !segment.indices.contains(next) || !segment[next].isFree
        }
        return single(at: start - 1, beyond: start - 2) || single(at: end + 1, beyond: end + 2)
    }
}
