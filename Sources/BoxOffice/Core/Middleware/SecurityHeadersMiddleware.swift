import Vapor

/// Every HTML answer (the web client, `/docs`, any page added later) carries a Content-Security-Policy, at least
/// this strict one unless its route set its own, and cannot be framed: `frame-ancestors 'none'` for browsers that
/// read CSP, `X-Frame-Options: DENY` for older ones.
struct SecurityHeadersMiddleware: AsyncMiddleware {
    /// Only our own scripts, styles, images and connections; no plugins, no `<base>`, forms post only to us.
    static let defaultPolicy =
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; "
        + "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"

    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        let response = try await next.respond(to: request)
        guard response.headers.contentType?.isHTML == true else { return response }
        if !response.headers.contains(name: "Content-Security-Policy") {
            response.headers.replaceOrAdd(name: "Content-Security-Policy", value: Self.defaultPolicy)
        }
        response.headers.replaceOrAdd(name: "X-Frame-Options", value: "DENY")
        response.headers.replaceOrAdd(name: "X-Content-Type-Options", value: "nosniff")
        return response
    }
}

extension HTTPMediaType {
    fileprivate var isHTML: Bool { type == "text" && subType == "html" }
}
