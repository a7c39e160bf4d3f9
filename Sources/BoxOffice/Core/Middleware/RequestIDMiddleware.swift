import NIOConcurrencyHelpers
import Vapor

/// Gives every request an id (the client's `X-Request-ID` when it is sane), echoes it on the response,
/// tags the request's logger with it and logs one access line per request: never bodies, tokens or passwords.
/// The access line is only put together when the log level lets it through.
struct RequestIDMiddleware: AsyncMiddleware {
    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        let requestID = Self.sanitized(request.headers.first(name: .xRequestId)) ?? Self.newID()
        request.storage[RequestIDKey.self] = requestID
        request.logger[metadataKey: "request-id"] = .string(requestID)
        let started = request.logger.logLevel <= .info ? ContinuousClock.now : nil
        let response = try await next.respond(to: request)
        response.headers.replaceOrAdd(name: .xRequestId, value: requestID)
        guard let started else { return response }
        var metadata: Logger.Metadata = [
            "method": .string(request.method.rawValue),
            "path": .string(request.pathOnce),
            "status": .stringConvertible(response.status.code),
            "latency_ms": .string(Self.milliseconds(ContinuousClock.now - started)),
        ]
        if let userID = request.storage[AuthenticatedUserIDKey.self] {
            metadata["user-id"] = .string(userID.uuidString)
        }
        request.logger.info("request", metadata: metadata)
        return response
    }

    /// `12.34`: two decimals without `String(format:)`.
    static func milliseconds(_ duration: Duration) -> String {
        let hundredths = max(
            0, Int(duration.components.seconds) * 100_000 + Int(duration.components.attoseconds / 10_000_000_000_000))
        let fraction = hundredths % 100
        return "\(hundredths / 100).\(fraction < 10 ? "0" : "")\(fraction)"
    }

    /// This process's random prefix and a counter (`3f9a1c2e-1b`): unique per instance and start, and cheaper than a
    /// random UUID per request.
    static func newID() -> String {
        let number = counter.withLockedValue { value in
            value &+= 1
            return value
        }
        return prefix + String(number, radix: 16)
    }

    private static let prefix = String(UInt32.random(in: .min ... .max), radix: 16) + "-"
    private static let counter = NIOLockedValueBox<UInt64>(0)

    /// Up to 128 characters of letters, digits, `-`, `_`, `.` and `:`; anything else is replaced.
    static func sanitized(_ raw: String?) -> String? {
        guard let raw, !raw.isEmpty, raw.count <= 128,
            raw.unicodeScalars.allSatisfy({
                $0.isASCII && (CharacterSet.alphanumerics.contains($0) || "-_.:".unicodeScalars.contains($0))
            })
        else { return nil }
        return raw
    }
}

enum RequestIDKey: StorageKey { typealias Value = String }
enum AuthenticatedUserIDKey: StorageKey { typealias Value = UUID }

enum RequestPathKey: StorageKey { typealias Value = String }

extension Request {
    /// The id this request is known by in logs, problem details and the `X-Request-ID` header.
    var requestID: String { storage[RequestIDKey.self] ?? id }

    /// `url.path`, worked out once per request (Vapor's `URI` rebuilds it on every read).
    var pathOnce: String {
        if let path = storage[RequestPathKey.self] { return path }
        let path = url.path
        storage[RequestPathKey.self] = path
        return path
    }
}
