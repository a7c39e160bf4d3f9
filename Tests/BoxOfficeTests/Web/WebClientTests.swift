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
    ]
    static let adminHooks = ["admin-movie-form", "admin-schedule-form", "admin-cancel-show"]

    static func publicFile(_ path: String) throws -> String {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../../../Public")
        return try String(contentsOf: root.appendingPathComponent(path), encoding: .utf8)
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
        for file in [
            "index.html", "admin.html", "app/app.js", "app/admin.js", "app/api.js", "app/ui.js", "app/app.css",
        ] {
            let text = try Self.publicFile(file)
            #expect(!text.contains("http://") && !text.contains("https://") && !text.contains("//cdn"), "\(file)")
        }
    }

    @Test func everyPromisedTestHookIsInThePages() throws {
        let customer = try Self.publicFile("index.html") + Self.publicFile("app/app.js")
        let admin = try Self.publicFile("admin.html") + Self.publicFile("app/admin.js")
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
