import Vapor

/// Renders every error, ours and Vapor's, as `application/problem+json`.
///
/// A 404 from the router for a path that exists under other methods becomes a 405 with `Allow`.
/// Unexpected errors become an opaque 500; every 5xx is logged once with the request id and the underlying error.
struct ProblemDetailsMiddleware: AsyncMiddleware {
    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        do {
            return try await next.respond(to: request)
        } catch {
            return render(error, for: request)
        }
    }

    func render(_ error: any Error, for request: Request) -> Response {
        var apiError = APIError.from(error) ?? .internalError
        // Every 5xx is logged once, here, with the request id and the underlying error; clients see only the code.
        if apiError.status.code >= 500 {
            let metadata: Logger.Metadata = [
                "status": "\(apiError.status.code)", "code": .string(apiError.code),
                "error": "\(String(reflecting: error))",
            ]
            if apiError.status == .serviceUnavailable {
                request.logger.warning("dependency unavailable", metadata: metadata)
            } else {
                request.logger.error("request failed", metadata: metadata)
            }
        }
        if apiError.status == .notFound, request.route == nil {
            let methods = MethodLookup.allowedMethods(for: request.url.path, in: request.application.routes.all)
            if !methods.isEmpty {
                apiError = APIError(
                    .methodNotAllowed, code: .methodNotAllowed,
                    detail: "\(request.method.rawValue) is not allowed here.")
                apiError.headers.replaceOrAdd(name: .allow, value: methods.map(\.rawValue).joined(separator: ", "))
            }
        }
        let body = ProblemDetails(apiError, requestID: request.requestID)
        let response = Response(status: apiError.status, headers: apiError.headers)
        do {
            try response.content.encode(body, using: JSONEncoder.api)
        } catch {
            response.body = .init(string: #"{"title":"Internal Server Error","status":500}"#)
        }
        response.headers.contentType = .problemJSON
        return response
    }
}
