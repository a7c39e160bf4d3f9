import OpenAPIKit
import Vapor

/// A type that describes its JSON shape in the OpenAPI document.
protocol APISchema {
    static var apiSchema: JSONSchema { get }
}

/// A named schema, registered under `components/schemas` and referenced from operations.
struct SchemaRef: Sendable {
    var name: String
    var schema: JSONSchema

    static func of<T: APISchema>(_ type: T.Type) -> SchemaRef {
        SchemaRef(name: String(describing: type), schema: T.apiSchema)
    }

    /// `{items, total, limit, offset}` of `T`.
    static func page<T: APISchema>(of type: T.Type) -> SchemaRef {
        let item = SchemaRef.of(type)
        return SchemaRef(
            name: "\(item.name)Page",
            schema: .object(properties: [
                "items": .array(items: .reference(.component(named: item.name))),
                "total": .integer(minimum: (0, exclusive: false)),
                "limit": .integer(maximum: (100, exclusive: false), minimum: (1, exclusive: false)),
                "offset": .integer(minimum: (0, exclusive: false)),
            ]))
    }

    /// Schemas this one refers to and that must be registered too.
    var dependencies: [SchemaRef] = []

    func with(_ dependency: SchemaRef) -> SchemaRef {
        var copy = self
        copy.dependencies.append(dependency)
        return copy
    }
}

extension SchemaRef {
    init(name: String, schema: JSONSchema) {
        self.name = name
        self.schema = schema
    }
}

/// Who may call a route. It decides the security requirement and the standard 401/403 responses,
/// and a test checks each route really answers that way.
enum RouteAccess: String, Sendable {
    case `public`
    case user
    case admin
}

/// What the OpenAPI document says about one route. Stored in the route's `userInfo` when it is registered.
struct APIDoc: Sendable {
    var summary: String
    var tag: String
    var access: RouteAccess
    var body: SchemaRef?
    var bodyContentType: String = "application/json"
    var status: HTTPStatus = .ok
    var response: SchemaRef?
    var responseContentType: String = "application/json"
    var query: [QueryParameter] = []
    var errors: [HTTPStatus] = []

    struct QueryParameter: Sendable {
        var name: String
        var schema: JSONSchema
        var description: String
    }

    static let userInfoKey = "boxoffice.openapi"
}

extension Route {
    var apiDoc: APIDoc? { userInfo[APIDoc.userInfoKey] as? APIDoc }
}
