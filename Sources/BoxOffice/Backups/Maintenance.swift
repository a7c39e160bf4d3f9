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

    /// Throws the 503 every refused write gets while a restore runs.
    func checkWritable() throws {
        guard isActive else { return }
        var headers = HTTPHeaders()
        headers.replaceOrAdd(name: .retryAfter, value: "30")
        throw APIError(
            .serviceUnavailable, code: .maintenance,
            detail: "A restore is running; writes are refused until it finishes. Reads still work.", headers: headers)
    }
}

/// Refuses writes while a restore runs; reads, and the restore routes themselves (a second restore is a 409),
/// pass.
struct MaintenanceMiddleware: AsyncMiddleware {
    let maintenance: Maintenance

    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        guard ![.GET, .HEAD, .OPTIONS].contains(request.method), !request.url.path.hasPrefix("/restore") else {
            return try await next.respond(to: request)
        }
        try maintenance.checkWritable()
        return try await next.respond(to: request)
    }
}

/// For a GET that writes (the seed's `GET /notifications/mark_all_read/{user_id}`): the maintenance block applies to
/// it as to any other write, which `MaintenanceMiddleware` recognises by method alone.
struct WritingGetMiddleware: AsyncMiddleware {
    let maintenance: Maintenance

    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        try maintenance.checkWritable()
        return try await next.respond(to: request)
    }
}
