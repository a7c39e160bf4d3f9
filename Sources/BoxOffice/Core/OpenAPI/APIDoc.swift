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

    /// `{items, total, limit, offset}` of `T`, with `T` registered too (GET /audit-logs referred to an
    /// `AuditLogResponse` no other route registered: an unresolvable reference the fuzzer reported).
    static func page<T: APISchema>(of type: T.Type) -> SchemaRef {
        let item = SchemaRef.of(type)
        return SchemaRef(
            name: "\(item.name)Page",
            schema: .object(properties: [
                "items": .array(items: .reference(.component(named: item.name))),
                "total": .integer(minimum: (0, exclusive: false)),
                "limit": .integer(maximum: (100, exclusive: false), minimum: (1, exclusive: false)),
                "offset": .integer(minimum: (0, exclusive: false)),
            ])
        ).with(item)
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
    /// Admins and ushers (the door): 403 for customers.
    case staff
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
    /// Other media types the success answer comes in when the client asks for them (a report as `text/csv`).
    var alternativeResponses: [(contentType: String, schema: SchemaRef)] = []
    var query: [QueryParameter] = []
    var errors: [HTTPStatus] = []

    struct QueryParameter: Sendable {
        var name: String
        /// Its `required` flag is the parameter's: a route answers 422 without a required one.
        var schema: JSONSchema
        var description: String

        var isRequired: Bool { schema.required }

        /// `?name=` (empty) reads as "no filter" for an optional text, enumeration, date or date-time parameter
        /// (`Request.queryText`, `queryEnum`, `queryLocalDate`, `queryDate`), so the document allows the empty
        /// value there; an empty id, number or boolean is still a 400 or 422 (found by the fuzzer's
        /// `negative_data_rejection`: `GET /movies?released_to=` is a 200). A parameter that refuses an empty value
        /// says so with `minLength: 1` (`GET /bookings?reference=`).
        var allowsEmptyValue: Bool {
            guard !isRequired, case .string(_, let string) = schema.value, string.minLength == 0 else { return false }
            return schema.formatString != JSONTypeFormat.StringFormat.uuid.rawValue
        }
    }

    static let userInfoKey = "boxoffice.openapi"
}

extension Route {
    var apiDoc: APIDoc? { userInfo[APIDoc.userInfoKey] as? APIDoc }
}
