import Foundation

/// An exact percentage with at most two decimal places, kept as basis points (1 % = 100).
///
/// JSON carries it as a number (`2.5`) or a string (`"2.5"`); it is parsed from the text, never
/// through `Double`, and written back as a number with the same digits.
struct Percent: Codable, Sendable, Equatable, Comparable, CustomStringConvertible {
    var basisPoints: Int
    /// The largest magnitude parsed at all; each use then checks its own range (GST 0–100, discounts 0.01–100).
    static let limit: Decimal = 1_000_000

    init(basisPoints: Int) { self.basisPoints = basisPoints }

    init?(_ text: String) {
        guard
            let value = Decimal(
                string: text.trimmingCharacters(in: .whitespaces), locale: Locale(identifier: "en_US_POSIX")),
            value.isFinite, !value.isNaN,
            // Bounded before any conversion: `int64Value` wraps silently (1e30 became 0 %).
            value >= -Self.limit, value <= Self.limit
        else { return nil }
        var scaled = value * 100
        var rounded = Decimal()
        NSDecimalRound(&rounded, &scaled, 0, .plain)
        guard rounded == scaled, let points = Int(rounded.description) else { return nil }
        basisPoints = points
    }

    init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let text: String
        if let string = try? container.decode(String.self) {
            text = string
        } else {
            text = "\(try container.decode(Decimal.self))"
        }
        guard let parsed = Percent(text) else {
            throw DecodingError.dataCorruptedError(
                in: container, debugDescription: "a percentage with at most two decimals")
        }
        self = parsed
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(Decimal(basisPoints) / 100)
    }

    var description: String { "\(Decimal(basisPoints) / 100)%" }

    static func < (lhs: Percent, rhs: Percent) -> Bool { lhs.basisPoints < rhs.basisPoints }
}
