import Foundation

/// The current time, as a dependency: token expiry, holds, payment windows and refund policies read it,
/// so tests move time instead of sleeping.
public protocol AppClock: Sendable {
    func now() -> Date
}

public struct SystemClock: AppClock {
    public init() {}
    public func now() -> Date { Date() }
}
