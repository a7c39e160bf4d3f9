import OpenAPIKit
import Vapor

/// Builds the OpenAPI 3.1 document from the registered routes and the `APIDoc` each carries.
struct OpenAPIDocumentBuilder {
    static let bearerScheme = "bearerAuth"

    /// Routes without an `APIDoc` (static files, the docs page's assets) are left out;
    /// a test makes sure every API route has one.
    func build(from routes: [Route], version: String = "1.0.0") -> OpenAPI.Document {
        var schemas: OpenAPI.ComponentDictionary<JSONSchema> = [
            "Problem": ProblemDetails.apiSchema, "FieldError": FieldError.apiSchema, "ErrorCode": ErrorCode.apiSchema,
        ]
        var items: OrderedDictionary<String, OpenAPI.PathItem> = [:]
        for route in routes {
            guard let doc = route.apiDoc else { continue }
            let path = Self.openAPIPath(route.path)
            var item = items[path] ?? OpenAPI.PathItem()
            let operation = makeOperation(doc, route: route, schemas: &schemas)
            item.set(operation: operation, for: Self.verb(route.method))
            items[path] = item
        }
        var paths: OpenAPI.PathItem.Map = [:]
        for (path, item) in items { paths[OpenAPI.Path(rawValue: path)] = .b(item) }
        return OpenAPI.Document(
            openAPIVersion: .v3_1_1,
            info: .init(
                title: "BoxOffice",
                description: "Cinema ticket booking: catalog, seat holds, bookings, payments and refunds. "
                    + "Errors are RFC 9457 problem details; money is exact; timestamps are ISO 8601 UTC.",
                version: version),
            servers: [],
            paths: paths,
            components: .direct(
                schemas: schemas,
                securitySchemes: [
                    .init(stringLiteral: Self.bearerScheme): .http(
                        scheme: "bearer", bearerFormat: "JWT",
                        description: "The access_token from POST /users/login.")
                ])
        )
    }

    /// `/users/:id` → `/users/{id}`.
    static func openAPIPath(_ components: [PathComponent]) -> String {
        "/"
            + components.map { component -> String in
                switch component {
                case .constant(let value): return value
                case .parameter(let name): return "{\(name)}"
                case .anything: return "{any}"
                case .catchall: return "{path}"
                }
            }.joined(separator: "/")
    }

    static func verb(_ method: HTTPMethod) -> OpenAPI.HttpMethod {
        switch method {
        case .POST: return .post
        case .PUT: return .put
        case .PATCH: return .patch
        case .DELETE: return .delete
        case .HEAD: return .head
        case .OPTIONS: return .options
        default: return .get
        }
    }

    private func makeOperation(_ doc: APIDoc, route: Route, schemas: inout OpenAPI.ComponentDictionary<JSONSchema>)
        -> OpenAPI.Operation
    {
        func register(_ ref: SchemaRef, requestBody: Bool = false) -> JSONSchema {
            for dependency in ref.dependencies { _ = register(dependency, requestBody: requestBody) }
            schemas[.init(stringLiteral: ref.name)] = requestBody ? Self.requestBodySchema(ref.schema) : ref.schema
            return .reference(.component(named: ref.name))
        }
        var parameters: OpenAPI.Parameter.Array = route.path.compactMap { component in
            guard case .parameter(let name) = component else { return nil }
            return .b(.path(name: name, schema: .string(format: .uuid)))
        }
        parameters += doc.query.map { parameter in
            .b(
                .query(
                    name: parameter.name, required: parameter.isRequired,
                    allowEmptyValue: parameter.allowsEmptyValue, schema: parameter.schema,
                    description: parameter.description))
        }

        var responses: OpenAPI.Response.Map = [:]
        var content: OpenAPI.Content.Map =
            doc.response.map {
                [OpenAPI.ContentType(rawValue: doc.responseContentType)!: .b(OpenAPI.Content(schema: register($0)))]
            } ?? [:]
        for alternative in doc.alternativeResponses {
            content[OpenAPI.ContentType(rawValue: alternative.contentType)!] = .b(
                OpenAPI.Content(schema: register(alternative.schema)))
        }
        let success = OpenAPI.Response(description: doc.status.reasonPhrase, content: content)
        responses[.status(code: Int(doc.status.code))] = .b(success)
        for status in errorStatuses(doc, route: route) {
            responses[.status(code: Int(status.code))] = .b(
                OpenAPI.Response(
                    description: status.reasonPhrase,
                    content: [
                        OpenAPI.ContentType(rawValue: "application/problem+json")!: .b(
                            OpenAPI.Content(schema: JSONSchema.reference(.component(named: "Problem"))))
                    ]))
        }
        let body = doc.body.map { ref in
            OpenAPI.Request(
                content: [
                    OpenAPI.ContentType(rawValue: doc.bodyContentType)!: .b(
                        OpenAPI.Content(schema: register(ref, requestBody: true)))
                ], required: true)
        }
        let security: [OpenAPI.SecurityRequirement] =
            doc.access == .public
            ? [] : [[.component(named: Self.bearerScheme): []]]
        return OpenAPI.Operation(
            tags: [doc.tag], summary: doc.summary,
            description: doc.access == .admin ? "Admin only." : doc.access == .staff ? "Admins and ushers only." : nil,
            operationId: "\(route.method.rawValue.lowercased())\(Self.operationName(route.path))",
            parameters: parameters, requestBody: body, responses: responses, security: security)
    }

    /// A request body's schema as the server reads it (both found by the fuzzer's `negative_data_rejection` and
    /// `positive_data_acceptance`; request and response schemas are separate components, so answers are unchanged):
    /// - an optional property, at any depth, also accepts `null`: bodies are decoded with `Codable`, whose
    ///   `decodeIfPresent` reads an explicit `null` as a missing key (`{"name": null}` in a PATCH keeps the name);
    /// - an integer is 64 bits (`format: int64`): it is decoded into an `Int`, and a wider number is a 400
    ///   `malformed_body`. Only an integer whose schema says no more than type, bounds and description is given the
    ///   format, so nothing else in it can be lost.
    static func requestBodySchema(_ schema: JSONSchema) -> JSONSchema {
        switch schema.value {
        case .object(let core, let object):
            var properties = object.properties
            for (name, property) in object.properties {
                let inner = requestBodySchema(property)
                properties[name] = inner.required ? inner : inner.nullableSchemaObject()
            }
            return JSONSchema(
                schema: .object(
                    core,
                    .init(
                        properties: properties, patternProperties: object.patternProperties,
                        additionalProperties: object.additionalProperties, maxProperties: object.maxProperties,
                        minProperties: object.minProperties > object.requiredProperties.count
                            ? object.minProperties : nil)))
        case .array(let core, let array):
            guard let items = array.items else { return schema }
            return JSONSchema(
                schema: .array(
                    core,
                    .init(
                        items: requestBodySchema(items), maxItems: array.maxItems,
                        minItems: array.minItems > 0 ? array.minItems : nil, prefixItems: array.prefixItems,
                        uniqueItems: array.uniqueItems ? true : nil)))
        case .integer(let core, let integer) where core.format == .unspecified:
            func context(_ format: JSONTypeFormat.IntegerFormat) -> JSONSchema.CoreContext<JSONTypeFormat.IntegerFormat>
            {
                .init(format: format, required: core.required, nullable: core.nullable, description: core.description)
            }
            return context(.unspecified) == core ? JSONSchema(schema: .integer(context(.int64), integer)) : schema
        default:
            return schema
        }
    }

    /// The failures any route of this shape can produce, plus those the route names.
    private func errorStatuses(_ doc: APIDoc, route: Route) -> [HTTPStatus] {
        var statuses: [HTTPStatus] = []
        if doc.body != nil || !doc.query.isEmpty { statuses += [.badRequest, .unprocessableEntity] }
        // A body that is too large, or missing or not JSON (no or another Content-Type), is refused before decoding.
        if doc.body != nil { statuses += [.payloadTooLarge, .unsupportedMediaType] }
        if doc.access != .public { statuses.append(.unauthorized) }
        if doc.access == .admin || doc.access == .staff { statuses.append(.forbidden) }
        if route.path.contains(where: { if case .parameter = $0 { return true } else { return false } }) {
            statuses.append(.notFound)
        }
        // Any route can meet a dependency that is down (database, Redis, the hashing queue): 503 with Retry-After.
        statuses.append(.serviceUnavailable)
        for status in doc.errors where !statuses.contains(status) { statuses.append(status) }
        return statuses.sorted { $0.code < $1.code }
    }

    private static func operationName(_ path: [PathComponent]) -> String {
        path.map { component -> String in
            switch component {
            case .constant(let value):
                return value.split(whereSeparator: { $0 == "-" || $0 == "_" }).map { $0.capitalized }.joined()
            case .parameter(let name): return "By" + name.capitalized
            default: return ""
            }
        }.joined()
    }
}
