import Vapor

/// Registers routes together with their OpenAPI description, so none can be added undocumented.
///
/// `access` is the access level of the group this builder stands for (the middleware is applied by the caller);
/// every route registered through it is documented with that level.
struct APIRoutes {
    let builder: any RoutesBuilder
    let access: RouteAccess
    let tag: String

    func grouped(_ path: PathComponent...) -> APIRoutes {
        APIRoutes(builder: builder.grouped(path), access: access, tag: tag)
    }

    func grouped(_ middleware: any Middleware..., access: RouteAccess) -> APIRoutes {
        APIRoutes(builder: builder.grouped(middleware), access: access, tag: tag)
    }

    @discardableResult
    func on<Response: AsyncResponseEncodable>(
        _ method: HTTPMethod, _ path: PathComponent..., summary: String,
        body: SchemaRef? = nil, status: HTTPStatus = .ok, response: SchemaRef? = nil,
        query: [APIDoc.QueryParameter] = [], errors: [HTTPStatus] = [],
        maxBodySize: ByteCount? = nil, bodyContentType: String = "application/json",
        use handler: @escaping @Sendable (Request) async throws -> Response
    ) -> Route {
        let route = builder.on(method, path, body: maxBodySize.map { .collect(maxSize: $0) } ?? .collect, use: handler)
        route.userInfo[APIDoc.userInfoKey] = APIDoc(
            summary: summary, tag: tag, access: access, body: body, bodyContentType: bodyContentType,
            status: status, response: response,
            query: query, errors: errors)
        return route
    }
}

extension APIDoc.QueryParameter {
    static let limit = APIDoc.QueryParameter(
        name: "limit",
        schema: .integer(required: false, maximum: (100, exclusive: false), minimum: (1, exclusive: false)),
        description: "Page size, 1–100 (default 20).")
    static let offset = APIDoc.QueryParameter(
        name: "offset",
        schema: .integer(
            required: false, maximum: (PageRequest.maxOffset, exclusive: false), minimum: (0, exclusive: false)),
        description: "Items to skip, 0–\(PageRequest.maxOffset) (default 0).")
    static let paging = [limit, offset]
}
