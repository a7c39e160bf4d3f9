import Foundation
import Testing
import VaporTesting

@testable import BoxOffice

/// Issue 25 item 6: a dashboard must tell zero from missing, so every metric is listed from the start.
@Suite("Metric families")
struct MetricFamilyTests {
    /// A scrape right after start lists every family of `MetricFamily.all`, each known series at zero.
    @Test func aFreshAppListsEveryMetricFamily() async throws {
        try await withTestApp(configure: { $0.metricsToken = MetricsTests.token }) { t in
            let response = try await t.request(.GET, "/metrics", token: MetricsTests.token)
            #expect(response.status == .ok)
            let text = response.body.string
            for family in MetricFamily.all {
                #expect(text.contains("# TYPE \(family.name) \(family.kind.rawValue)\n"), "\(family.name) is missing")
            }
            for series in [
                "seat_lock_conflicts_total 0", "bookings_created_total 0", "refunds_total 0",
                #"payments_total{outcome="failed"} 0"#, #"ws_rejected_total{reason="per_user"} 0"#,
                "booking_latency_seconds_count 0", "websocket_connections 0",
            ] {
                #expect(text.contains(series), "\(series) is missing")
            }
        }
    }

    /// Every name the code records (`increment`, `gauge`, `observe` with a literal name) is in the one list, and the
    /// list names nothing the code never records.
    @Test func theListHasEveryNameTheCodeRecords() throws {
        let sources = URL(fileURLWithPath: #filePath)
            .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("Sources/BoxOffice")
        let call = try Regex(#"\.(?:increment|gauge|observe)\(\s*"([a-z0-9_]+)""#)
        var recorded: Set<String> = []
        let files = FileManager.default.enumerator(at: sources, includingPropertiesForKeys: nil)
        while let file = files?.nextObject() as? URL {
            guard file.pathExtension == "swift" else { continue }
            let text = try String(contentsOf: file, encoding: .utf8)
            for match in text.matches(of: call) {
                if let name = match.output[1].substring { recorded.insert(String(name)) }
            }
        }
        let listed = Set(MetricFamily.all.map(\.name))
        #expect(recorded.count >= 10, "no metric calls found under \(sources.path)")
        #expect(recorded.subtracting(listed).isEmpty, "not in MetricFamily.all: \(recorded.subtracting(listed))")
        #expect(listed.subtracting(recorded).isEmpty, "never recorded: \(listed.subtracting(recorded))")
        #expect(listed.count == MetricFamily.all.count, "a family is listed twice")
    }
}
