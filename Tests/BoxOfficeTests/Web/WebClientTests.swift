import Foundation
import Testing
import VaporTesting
@testable import BoxOffice

@Suite("Web client: pages, static modules, the test-hook contract")
struct WebClientTests {
    /// The `data-testid` hooks the README promises to browser tests (the contract of issue 17).
    static let customerHooks = [
        "date-picker", "show-card", "seat", "hold-button", "hold-countdown", "food-item", "food-qty", "promo-input",
        "book-button", "price-total", "pay-button", "booking-reference", "my-bookings", "cancel-booking",
        "notification-bell", "signin-email", "signin-password", "signin-submit", "signup-link", "error-message",
        // Issue 28: browsing by movie, the seat map's categories, an open checkout, the booking and its cancel.
        "date-strip", "movie-card", "showtime", "movie-page", "seat-limit", "resume-hold", "running-total",
        "promo-apply", "pay-method", "change-seats", "hold-again", "booking-movie", "booking-time", "cancel-button",
        "cancel-confirm", "refund-quote", "ticket-qr", "notification-link",
    ]
    static let adminHooks = [
        "admin-movie-form", "admin-schedule-form", "admin-cancel-show", "admin-show-seats", "admin-seat",
        "admin-occupancy", "schedule-suggestion",
    ]

    static let publicRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("../../../Public").standardizedFileURL

    static func publicFile(_ path: String) throws -> String {
        try String(contentsOf: publicRoot.appendingPathComponent(path), encoding: .utf8)
    }

    /// Every module of the web client (`app/app.js`, `app/views/admin/movies.js`, …), relative to `Public/`.
    static func modules() throws -> [String] {
        let app = publicRoot.appendingPathComponent("app")
        let files = try FileManager.default.subpathsOfDirectory(atPath: app.path)
        // Our own modules; the vendored libraries (`app/vendor/`) are checked by `vendoredLibrariesCarryTheirLicence`.
        return files.filter { $0.hasSuffix(".js") && !$0.hasPrefix("vendor/") }.map { "app/" + $0 }.sorted()
    }

    /// Each vendored library (QR generator and reader, charts) is a file served from `/app/vendor/` with its licence
    /// beside it, and the pages load it from there, never from another origin.
    @Test func vendoredLibrariesCarryTheirLicence() throws {
        let vendor = Self.publicRoot.appendingPathComponent("app/vendor")
        let folders = try FileManager.default.contentsOfDirectory(atPath: vendor.path).filter { !$0.contains(".") }
        #expect(!folders.isEmpty)
        for folder in folders {
            let files = try FileManager.default.contentsOfDirectory(atPath: vendor.appendingPathComponent(folder).path)
            #expect(files.contains("LICENSE"), "\(folder)")
            #expect(files.contains { $0.hasSuffix(".js") }, "\(folder)")
        }
        let loader = try Self.publicFile("app/vendor.js")
        #expect(loader.contains("/app/vendor/") && !loader.contains("http"))
    }

    /// The staff page's own modules; the customer page has the rest (its own and the shared ones).
    static func isStaffModule(_ path: String) -> Bool {
        path == "app/admin.js" || path.hasPrefix("app/views/admin/")
    }

    @Test func customerAndAdminPagesAreHTMLThatLoadModulesFromTheSameOrigin() async throws {
        try await withTestApp { t in
            for (path, module) in [("/", "/app/app.js"), ("/admin", "/app/admin.js")] {
                let page = try await t.request(.GET, path)
                #expect(page.status == .ok)
                #expect(page.headers.contentType == .html)
                #expect(page.headers.first(name: .cacheControl) == "no-cache")
                #expect(page.headers.first(name: "Content-Security-Policy")?.contains("script-src 'self'") == true)
                #expect(page.body.string.contains(#"<script type="module" src="\#(module)"></script>"#))
                let script = try await t.request(.GET, module)
                #expect(script.status == .ok)
                #expect(script.headers.contentType?.subType == "javascript")
            }
        }
    }

    @Test func nothingIsLoadedFromTheInternet() throws {
        let modules = try Self.modules()
        #expect(modules.contains("app/app.js") && modules.contains("app/admin.js"))
        for file in ["index.html", "admin.html", "app/app.css", "app/admin.css"] + modules {
            let text = try Self.publicFile(file)
            #expect(!text.contains("http://") && !text.contains("https://") && !text.contains("//cdn"), "\(file)")
        }
    }

    @Test func everyPromisedTestHookIsInThePages() throws {
        let modules = try Self.modules()
        let customer = try (["index.html"] + modules.filter { !Self.isStaffModule($0) }).map(Self.publicFile).joined()
        let admin = try (["admin.html"] + modules.filter(Self.isStaffModule)).map(Self.publicFile).joined()
        for hook in Self.customerHooks {
            #expect(
                customer.contains(#"testid: "\#(hook)""#) || customer.contains(#"data-testid="\#(hook)""#), "\(hook)")
        }
        for hook in Self.adminHooks {
            #expect(admin.contains(#"testid: "\#(hook)""#) || admin.contains(#"data-testid="\#(hook)""#), "\(hook)")
        }
    }

    @Test func staticFilesStayInsidePublic() async throws {
        try await withTestApp { t in
            for path in ["/app/../Package.swift", "/app/%2e%2e/Package.swift", "/app/..%2fPackage.swift"] {
                let response = try await t.request(.GET, path)
                #expect([.forbidden, .notFound].contains(response.status), "\(path)")
                #expect(!response.body.string.contains("swift-tools-version"))
            }
            #expect(try await t.request(.GET, "/app/nope.js").status == .notFound)
        }
    }

    @Test func aServerWithoutItsPagesAnswers404NotA500() async throws {
        try await withTestApp { t in
            let web = WebController(publicDirectory: "/nonexistent-boxoffice-public/")
            let request = Request(application: t.app, method: .GET, url: "/", on: t.app.eventLoopGroup.next())
            let error = await #expect(throws: APIError.self) { try await web.serve("index.html", request) }
            #expect(error?.status == .notFound)
        }
    }

    @Test func theAdminPageIsPublicButItsActionsAreNot() async throws {
        try await withTestApp { t in
            #expect(try await t.request(.GET, "/admin").status == .ok)
            let movie = try await t.request(.POST, "/movies", rawBody: #"{"title": "X", "duration_minutes": 90}"#)
            #expect(movie.status == .unauthorized)
        }
    }
}
