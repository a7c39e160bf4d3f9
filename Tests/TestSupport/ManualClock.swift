import Foundation
import HoldStore
import NIOConcurrencyHelpers

/// A clock that stands still until told to move: tests move time instead of sleeping.
public final class ManualClock: AppClock {
    private let current: NIOLockedValueBox<Date>

    public init(_ start: Date = Date()) {
        current = NIOLockedValueBox(start)
    }

    public func now() -> Date { current.withLockedValue { $0 } }

    public func advance(by seconds: TimeInterval) {
        current.withLockedValue { $0 = $0.addingTimeInterval(seconds) }
    }

    public func set(_ date: Date) {
        current.withLockedValue { $0 = date }
    }
}
