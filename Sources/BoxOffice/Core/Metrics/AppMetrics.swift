import Foundation
import NIOConcurrencyHelpers

/// Counters, gauges and timings the app records. The operations work exports them at `/metrics`;
/// until then they are kept in memory, where tests read them.
public protocol AppMetrics: Sendable {
    func increment(_ name: String, by amount: Int, labels: [String: String])
    func gauge(_ name: String, _ value: Double, labels: [String: String])
    func observe(_ name: String, seconds: Double, labels: [String: String])
}

extension AppMetrics {
    func increment(_ name: String, by amount: Int = 1) { increment(name, by: amount, labels: [:]) }
    func gauge(_ name: String, _ value: Double) { gauge(name, value, labels: [:]) }
}

/// Thread-safe in-memory metrics: totals, last gauge values and observation counts and sums.
public final class InMemoryMetrics: AppMetrics {
    private struct Key: Hashable {
        var name: String
        var labels: [String: String]
    }

    private struct State {
        var counters: [Key: Int] = [:]
        var gauges: [Key: Double] = [:]
        var observations: [Key: (count: Int, sum: Double)] = [:]
    }

    private let state = NIOLockedValueBox(State())

    public init() {}

    public func increment(_ name: String, by amount: Int, labels: [String: String]) {
        state.withLockedValue { $0.counters[Key(name: name, labels: labels), default: 0] += amount }
    }

    public func gauge(_ name: String, _ value: Double, labels: [String: String]) {
        state.withLockedValue { $0.gauges[Key(name: name, labels: labels)] = value }
    }

    public func observe(_ name: String, seconds: Double, labels: [String: String]) {
        state.withLockedValue {
            let key = Key(name: name, labels: labels)
            let old = $0.observations[key] ?? (0, 0)
            $0.observations[key] = (old.count + 1, old.sum + seconds)
        }
    }

    public func counter(_ name: String, labels: [String: String] = [:]) -> Int {
        state.withLockedValue { $0.counters[Key(name: name, labels: labels)] ?? 0 }
    }

    public func gaugeValue(_ name: String, labels: [String: String] = [:]) -> Double? {
        state.withLockedValue { $0.gauges[Key(name: name, labels: labels)] }
    }

    public func observationCount(_ name: String, labels: [String: String] = [:]) -> Int {
        state.withLockedValue { $0.observations[Key(name: name, labels: labels)]?.count ?? 0 }
    }
}
