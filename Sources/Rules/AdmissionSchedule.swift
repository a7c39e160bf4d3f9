import Foundation

/// The waiting room's order and pace (issue 30), with no I/O: who stands where, and when each place is admitted.
///
/// - Order: everyone who joins before `onSaleAt` gets a random place among the early joiners (a faster script gains
///   nothing); everyone after joins behind all of them, first come first served. `score` gives the sort key: random
///   below 2⁴⁰ for the early, 2⁴² + milliseconds since 1970 for the late, so every score is an integer a double holds
///   exactly (a Redis sorted set keeps them as doubles).
/// - Pace: from `onSaleAt`, `admitPerMinute` places a minute, in queue order: place `rank` (0-based) is admitted at
///   `onSaleAt + ⌈(rank + 1) × 60 / admitPerMinute⌉` seconds, so at no moment have more than
///   `⌊elapsed × admitPerMinute / 60⌋` places been admitted. Each admission lasts `admissionSeconds`.
public struct AdmissionSchedule: Sendable, Equatable {
    public var onSaleAt: Date
    public var admitPerMinute: Int
    public var admissionSeconds: Int

    public init(onSaleAt: Date, admitPerMinute: Int, admissionSeconds: Int) {
        self.onSaleAt = onSaleAt
        self.admitPerMinute = max(1, admitPerMinute)
        self.admissionSeconds = max(1, admissionSeconds)
    }

    public static let lateBase: Double = 4_398_046_511_104  // 2⁴²
    public static let earlyRange: UInt64 = 1 << 40

    /// The sort key of a place taken at `joinedAt`; `random` is used only before the sale opens.
    public func score<G: RandomNumberGenerator>(joinedAt: Date, using random: inout G) -> Double {
        if joinedAt < onSaleAt { return Double(UInt64.random(in: 0..<Self.earlyRange, using: &random)) }
        return Self.lateBase + (joinedAt.timeIntervalSince1970 * 1000).rounded(.down)
    }

    /// How many places have been admitted by `now` (0 before the sale opens).
    public func admitted(at now: Date) -> Int {
        let elapsed = Int(now.timeIntervalSince(onSaleAt).rounded(.down))
        guard elapsed > 0 else { return 0 }
        let (product, overflow) = elapsed.multipliedReportingOverflow(by: admitPerMinute)
        return overflow ? Int.max : product / 60
    }

    /// When place `rank` (0-based) is admitted.
    public func admissionTime(rank: Int) -> Date {
        let seconds = ((rank + 1) * 60 + admitPerMinute - 1) / admitPerMinute
        return onSaleAt.addingTimeInterval(TimeInterval(seconds))
    }

    /// Where place `rank` stands at `now`.
    public func state(rank: Int, at now: Date) -> State {
        let opens = admissionTime(rank: rank)
        if now < opens { return .waiting(ahead: max(0, rank - admitted(at: now)), admittedAt: opens) }
        let closes = opens.addingTimeInterval(TimeInterval(admissionSeconds))
        return now < closes ? .admitted(until: closes) : .expired(at: closes)
    }

    public enum State: Sendable, Equatable {
        /// `ahead`: places before this one not yet admitted; admitted at `admittedAt`.
        case waiting(ahead: Int, admittedAt: Date)
        case admitted(until: Date)
        /// The admission was not used in time.
        case expired(at: Date)
    }
}
