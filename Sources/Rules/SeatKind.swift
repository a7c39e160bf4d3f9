import Foundation

/// What a place in a screen's grid is.
public enum SeatKind: String, Codable, Sendable, CaseIterable {
    case standard
    case wheelchair
    case companion
    /// A position in the grid that is never sold (a pillar, a broken seat).
    case blocked
}
