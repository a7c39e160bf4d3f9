import Vapor

/// The web client: `GET /` serves `Public/index.html`; its modules and styles are static files under `/app/`.
/// No build step: plain HTML, CSS and JavaScript modules that call the public JSON API.
struct WebController: RouteCollection {
    let publicDirectory: String

    func boot(routes: any RoutesBuilder) throws {
        let web = APIRoutes(builder: routes, access: .public, tag: "Web")
        let page = web.on(
            .GET, summary: "The customer web client (HTML)",
            response: SchemaRef(name: "HTMLPage", schema: .string), use: index)
        page.userInfo[APIDoc.userInfoKey] = (page.userInfo[APIDoc.userInfoKey] as? APIDoc).map {
            var doc = $0
            doc.responseContentType = "text/html"
            return doc
        }
    }

    @Sendable func index(req: Request) async throws -> Response {
        let response = try await req.fileio.asyncStreamFile(at: publicDirectory + "index.html", mediaType: .html)
        response.headers.replaceOrAdd(name: .cacheControl, value: "no-cache")
        return response
    }
}
