import Vapor

/// The browser's refresh token: an `HttpOnly; Secure; SameSite=Strict` cookie that only `POST /users/refresh` is
/// sent, so no script on the page ever reads it (the page keeps only the short-lived access token, in memory).
/// Asked for with `"cookie": true` on login; JSON clients that do not ask get the token in the body as before.
///
/// `Secure` is kept even over plain HTTP: browsers store it from `https` origins and from `localhost`/`127.0.0.1`
/// (secure contexts), so the web client keeps its session across reloads there; a plain-HTTP deployment on another
/// host stays signed in only until the page is closed. CSRF: `SameSite=Strict` keeps the cookie off cross-site
/// requests, and the refresh answer carries the new access token only in its body, which another origin cannot read.
enum RefreshCookie {
    static let name = "bx_refresh"
    /// Only the refresh route is sent it (and `/users/refresh/`). Logout, on another path, clears it by setting the
    /// same name and path with `Max-Age=0`: a response may set a cookie for any path of its origin.
    static let path = "/users/refresh"

    static func value(_ token: String, lifetime: TimeInterval) -> HTTPCookies.Value {
        HTTPCookies.Value(
            string: token, maxAge: Int(lifetime), path: path, isSecure: true, isHTTPOnly: true, sameSite: .strict)
    }

    static var cleared: HTTPCookies.Value {
        HTTPCookies.Value(
            string: "", expires: Date(timeIntervalSince1970: 0), maxAge: 0, path: path, isSecure: true,
            isHTTPOnly: true, sameSite: .strict)
    }

    static func token(in req: Request) -> String? {
        req.cookies[name]?.string.nilIfEmpty
    }
}

extension String {
    fileprivate var nilIfEmpty: String? { isEmpty ? nil : self }
}
