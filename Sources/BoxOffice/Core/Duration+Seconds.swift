import Foundation

extension Duration {
    /// The duration in seconds, for logs and metrics.
    var seconds: Double { Double(components.seconds) + Double(components.attoseconds) / 1e18 }
}
