/// One metric the app records, with every label set known before the first event. `MetricFamily.all` is the one
/// list: `PrometheusMetrics` registers each family at start, so a scrape right after start lists them all (a
/// dashboard tells zero from missing, and `rate()` has a series), and a test checks the list against the names the
/// code records.
struct MetricFamily: Sendable {
    enum Kind: String, Sendable {
        case counter, gauge, histogram
    }

    let name: String
    let kind: Kind
    /// The series made at start, at zero: `[[:]]` for an unlabeled metric, one label set per value for a fixed set;
    /// empty when the labels are known only per request (method, route, status), so only the family is announced.
    let series: [[String: String]]

    init(_ name: String, _ kind: Kind, series: [[String: String]] = [[:]]) {
        self.name = name
        self.kind = kind
        self.series = series
    }

    static let all: [MetricFamily] = [
        // HTTP, by `RequestIDMiddleware`, `RequestDeadlineMiddleware` and `RequestGate`.
        MetricFamily("http_requests_total", .counter, series: []),
        MetricFamily("http_request_duration_seconds", .histogram, series: []),
        MetricFamily("http_request_deadline_exceeded_total", .counter),
        MetricFamily("http_request_queue_seconds", .histogram),
        // Seat holds.
        MetricFamily("seat_lock_conflicts_total", .counter),
        MetricFamily("seat_holds_placed_total", .counter),
        MetricFamily("seat_holds_released_total", .counter),
        MetricFamily("seat_holds_active", .gauge),
        // Bookings.
        MetricFamily("bookings_created_total", .counter),
        MetricFamily("booking_conflicts_total", .counter),
        MetricFamily("booking_latency_seconds", .histogram),
        // Payments and refunds.
        MetricFamily("payments_total", .counter, series: [["outcome": "completed"], ["outcome": "failed"]]),
        MetricFamily("refunds_total", .counter),
        MetricFamily("refund_attempts_failed_total", .counter),
        // Live sockets.
        MetricFamily("websocket_connections", .gauge),
        MetricFamily(
            "ws_rejected_total", .counter, series: SocketAdmission.Reason.allCases.map { ["reason": $0.rawValue] }),
    ]
}
