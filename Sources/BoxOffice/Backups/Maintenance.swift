import NIOConcurrencyHelpers
import Vapor

/// Whether a restore is running on this instance: while it does, writes are refused (503 with `Retry-After`),
/// reads go on, background jobs skip their runs, and a second restore is a 409.
final class Maintenance: Sendable {
    private let restoring = NIOLockedValueBox(false)

    var isActive: Bool { restoring.withLockedValue { $0 } }

    /// Enters maintenance; false when a restore already runs.
    func begin() -> Bool {
        restoring.withLockedValue { active in
            guard !active else { return false }
            active = true
            return true
        }
    }

    func end() {
        restoring.withLockedValue { $0 = false }
    }
}

/// Refuses writes while a restore runs; reads, and the restore routes themselves (a second restore is a 409),
/// pass.
struct MaintenanceMiddleware: AsyncMiddleware {
    let maintenance: Maintenance

    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        guard maintenance.isActive, ![.GET, .HEAD, .OPTIONS].contains(request.method),
            !request.url.path.hasPrefix("/restore")
        else { return try await next.respond(to: request) }
        var headers = HTTPHeaders()
        headers.replaceOrAdd(name: .retryAfter, value: "30")
        throw APIError(
            .serviceUnavailable, code: "maintenance",
            detail: "A restore is running; writes are refused until it finishes. Reads still work.", headers: headers)
    }
}
