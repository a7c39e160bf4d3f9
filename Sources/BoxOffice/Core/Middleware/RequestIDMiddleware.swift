import Vapor

/// Gives every request an id (the client's `X-Request-ID` when it is sane), echoes it on the response,
/// tags the request's logger with it and logs one access line per request: never bodies, tokens or passwords.
struct RequestIDMiddleware: AsyncMiddleware {
    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        let requestID = Self.sanitized(request.headers.first(name: .xRequestId)) ?? UUID().uuidString
        request.storage[RequestIDKey.self] = requestID
        request.logger[metadataKey: "request-id"] = .string(requestID)
        let started = ContinuousClock.now
        let response = try await next.respond(to: request)
        response.headers.replaceOrAdd(name: .xRequestId, value: requestID)
        let millis = (ContinuousClock.now - started).seconds * 1000
        var metadata: Logger.Metadata = [
            "method": .string(request.method.rawValue),
            "path": .string(request.url.path),
            "status": .stringConvertible(response.status.code),
            "latency_ms": .string(String(format: "%.2f", millis)),
        ]
        if let userID = request.storage[AuthenticatedUserIDKey.self] {
            metadata["user-id"] = .string(userID.uuidString)
        }
        request.logger.info("request", metadata: metadata)
        return response
    }

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

extension Request {
    /// The id this request is known by in logs, problem details and the `X-Request-ID` header.
    var requestID: String { storage[RequestIDKey.self] ?? id }
}
