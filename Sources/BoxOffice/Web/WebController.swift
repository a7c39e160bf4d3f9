import Vapor

/// The web client: `GET /` (customers) and `GET /admin` (staff) serve pages from `Public/`; their modules and
/// styles are static files under `/app/`. No build step: plain HTML, CSS and JavaScript modules that call the
/// public JSON API with the same tokens as any client. The admin page is public HTML; every admin action it
/// takes is an API call that the API refuses without an admin token.
struct WebController: RouteCollection {
    let publicDirectory: String
    /// The customer page's policy (`customerPolicy(razorpay:)`); the staff page always has the strict one.
    var customerPolicy = Self.contentSecurityPolicy

    /// The pages run only their own scripts and styles, show only our own images (posters are uploads under
    /// `/static/uploads`; the pages draw a placeholder for a poster URL elsewhere), connect only to us (`'self'`
    /// covers the same-origin `/ws` in current browsers) and cannot be framed.
    static let contentSecurityPolicy = SecurityHeadersMiddleware.defaultPolicy

    /// With `PAYMENT_GATEWAY=razorpay` the customer page also runs Razorpay Checkout: its script's origin
    /// (`RAZORPAY_CHECKOUT_URL`) may run scripts, and it and the API's origin (`RAZORPAY_API_URL`) may be framed,
    /// connected to and show images. In every other mode (and on the staff page) nothing but our own origin is.
    static func customerPolicy(razorpay: AppConfig.RazorpayKeys?) -> String {
        guard let razorpay, let script = origin(of: razorpay.checkoutScriptURL) else { return contentSecurityPolicy }
        // The API's origin joins the script's unless it is the same (a stand-in serving both) or not a plain origin.
        let api = origin(of: razorpay.apiURL).flatMap { $0 == script ? nil : $0 }
        let both = ([script] + (api.map { [$0] } ?? [])).joined(separator: " ")
        return "default-src 'self'; script-src 'self' \(script); style-src 'self'; img-src 'self' data: \(both); "
            + "connect-src 'self' \(both); frame-src \(both); object-src 'none'; base-uri 'none'; "
            + "form-action 'self'; frame-ancestors 'none'"
    }

    /// `scheme://host[:port]` of an http(s) URL; nil for anything else.
    static func origin(of url: String) -> String? {
        guard let parts = URLComponents(string: url), let scheme = parts.scheme?.lowercased(),
            scheme == "https" || scheme == "http", let host = parts.host, !host.isEmpty,
            host.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "." || $0 == "-" })
        else { return nil }
        return "\(scheme)://\(host)\(parts.port.map { ":\($0)" } ?? "")"
    }

    func boot(routes: any RoutesBuilder) throws {
        let web = APIRoutes(builder: routes, access: .public, tag: "Web")
        let html = SchemaRef(name: "HTMLPage", schema: .string)
        asHTML(
            web.on(.GET, summary: "The customer web client (HTML)", response: html) {
                try await serve("index.html", $0, policy: customerPolicy)
            })
        asHTML(
            web.on(.GET, "admin", summary: "The staff web client (HTML)", response: html) {
                try await serve("admin.html", $0)
            })
    }

    func serve(_ file: String, _ req: Request, policy: String = Self.contentSecurityPolicy) async throws -> Response {
        // A deployment without `Public/` (the server started outside the repository) answers a 404, not a 500.
        guard FileManager.default.fileExists(atPath: publicDirectory + file) else { throw APIError.notFound("Page") }
        let response = try await req.fileio.asyncStreamFile(at: publicDirectory + file, mediaType: .html)
        response.headers.replaceOrAdd(name: .cacheControl, value: "no-cache")
        response.headers.replaceOrAdd(name: "Content-Security-Policy", value: policy)
        return response
    }

    /// Documents the route's answer as `text/html` rather than JSON.
    private func asHTML(_ route: Route) {
        route.userInfo[APIDoc.userInfoKey] = (route.userInfo[APIDoc.userInfoKey] as? APIDoc).map {
            var doc = $0
            doc.responseContentType = "text/html"
            return doc
        }
    }
}
