import OpenAPIKit
import Vapor

/// `/openapi.json`, built from the registered routes, and `/docs`, Swagger UI served from `Public/docs`
/// (vendored, so it works with no network).
struct DocsController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        let ops = APIRoutes(builder: routes, access: .public, tag: "Operations")
        ops.on(.GET, "openapi.json", summary: "This OpenAPI 3.1 document", use: document)
        ops.on(.GET, "docs", summary: "Interactive API documentation (HTML)", use: page)
    }

    /// The document `configure` encoded once, after every route was registered (it was rebuilt per request).
    @Sendable func document(req: Request) async throws -> Response {
        let data = try req.application.storage[OpenAPIDocumentKey.self] ?? Self.encode(req.application.routes)
        var headers = HTTPHeaders()
        headers.contentType = .json
        headers.replaceOrAdd(name: .cacheControl, value: "no-cache")
        return Response(status: .ok, headers: headers, body: .init(data: data))
    }

    /// The OpenAPI document of these routes, as JSON.
    static func encode(_ routes: Routes) throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return try encoder.encode(OpenAPIDocumentBuilder().build(from: routes.all))
    }

    @Sendable func page(req: Request) async throws -> Response {
        var headers = HTTPHeaders()
        headers.contentType = .html
        return Response(status: .ok, headers: headers, body: .init(string: Self.html))
    }

    /// No inline script: every HTML answer's CSP allows scripts from this origin only (`SecurityHeadersMiddleware`).
    static let html = """
        <!doctype html>
        <html lang="en">
        <head>
          <meta charset="utf-8">
          <title>BoxOffice API</title>
          <link rel="stylesheet" href="/docs/swagger-ui.css">
        </head>
        <body>
          <div id="swagger-ui"></div>
          <script src="/docs/swagger-ui-bundle.js"></script>
          <script src="/docs/start.js"></script>
        </body>
        </html>
        """
}

/// The encoded `/openapi.json`, stored by `configure` once the routes are registered.
enum OpenAPIDocumentKey: StorageKey { typealias Value = Data }
