import CoreMetrics
import Foundation
import Prometheus

/// The app's metrics through swift-metrics, with swift-prometheus as the backend: one registry per app (not the
/// process-wide `MetricsSystem`, so every test app counts on its own), exported at `GET /metrics`.
///
/// Names and labels are the app's own: counters end in `_total`, timings are histograms in seconds.
public final class PrometheusMetrics: AppMetrics {
    let registry: PrometheusCollectorRegistry
    private let factory: PrometheusMetricsFactory

    public init() {
        let registry = PrometheusCollectorRegistry()
        var factory = PrometheusMetricsFactory(registry: registry)
        // From 5 ms to 10 s: a hold or a seat map is milliseconds, a booking under load can take seconds.
        factory.defaultDurationHistogramBuckets = [
            .milliseconds(5), .milliseconds(10), .milliseconds(25), .milliseconds(50), .milliseconds(100),
            .milliseconds(250), .milliseconds(500), .seconds(1), .milliseconds(2500), .seconds(5), .seconds(10),
        ]
        self.registry = registry
        self.factory = factory
        for family in MetricFamily.all { register(family) }
    }

    /// Makes a family's known series at zero: a metric that exists is listed before its first event.
    private func register(_ family: MetricFamily) {
        for labels in family.series {
            let dimensions = Self.dimensions(labels)
            switch family.kind {
            case .counter: _ = Counter(label: family.name, dimensions: dimensions, factory: factory)
            case .gauge: _ = Gauge(label: family.name, dimensions: dimensions, factory: factory)
            case .histogram: _ = CoreMetrics.Timer(label: family.name, dimensions: dimensions, factory: factory)
            }
        }
    }

    public func increment(_ name: String, by amount: Int, labels: [String: String]) {
        Counter(label: name, dimensions: Self.dimensions(labels), factory: factory).increment(by: amount)
    }

    public func gauge(_ name: String, _ value: Double, labels: [String: String]) {
        Gauge(label: name, dimensions: Self.dimensions(labels), factory: factory).record(value)
    }

    public func observe(_ name: String, seconds: Double, labels: [String: String]) {
        let nanoseconds = seconds.isFinite ? Int64(max(0, min(seconds, 86_400)) * 1e9) : 0
        CoreMetrics.Timer(label: name, dimensions: Self.dimensions(labels), factory: factory)
            .recordNanoseconds(nanoseconds)
    }

    /// The Prometheus text exposition of everything recorded so far. A family whose labels come only with its first
    /// event (a route, a status) is announced by its type line until then.
    func exposition() -> [UInt8] {
        var text = registry.emitToBuffer()
        for family in MetricFamily.all where family.series.isEmpty {
            let typeLine = Array("# TYPE \(family.name) ".utf8)
            if !text.contains(typeLine) { text += typeLine + Array("\(family.kind.rawValue)\n".utf8) }
        }
        return text
    }

    /// Sorted, so one series is always made with its labels in one order.
    private static func dimensions(_ labels: [String: String]) -> [(String, String)] {
        labels.sorted { $0.key < $1.key }.map { ($0.key, $0.value) }
    }
}
