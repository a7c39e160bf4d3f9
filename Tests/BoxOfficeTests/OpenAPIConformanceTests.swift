import Foundation
import Testing
import VaporTesting

@testable import BoxOffice

/// Any JSON value, decoded strictly (a `true` is never a number, a `1` never a boolean): the app's own type.
typealias JSONValue = AuditJSON

/// Checks real response bodies against the schemas `/openapi.json` documents for them: every key documented,
/// every required key present, every value of its documented type, format and enumeration.
struct SchemaConformance {
    let document: JSONValue

    func problems(method: String, template: String, status: Int, body: JSONValue) -> [String] {
        guard let operation = document["paths"]?[template]?[method.lowercased()] else {
            return ["\(method) \(template) is not documented"]
        }
        guard let response = operation["responses"]?[String(status)] else {
            return ["\(method) \(template): status \(status) is not documented"]
        }
        guard
            let schema = response["content"]?["application/json"]?["schema"]
                ?? response["content"]?["application/problem+json"]?["schema"]
        else { return [] }
        var problems: [String] = []
        check(body, against: schema, at: "\(method) \(template) \(status) $", &problems)
        return problems
    }

    private func resolve(_ schema: JSONValue) -> JSONValue {
        guard let ref = schema["$ref"]?.string, let name = ref.split(separator: "/").last else { return schema }
        return document["components"]?["schemas"]?[String(name)] ?? .null
    }

    private func types(_ schema: JSONValue) -> [String] {
        switch schema["type"] {
        case .string(let type): return [type]
        case .array(let list): return list.compactMap(\.string)
        default: return []
        }
    }

    private func check(_ value: JSONValue, against raw: JSONValue, at path: String, _ problems: inout [String]) {
        let schema = resolve(raw)
        for key in ["anyOf", "oneOf"] {
            if case .array(let options)? = schema[key] {
                let fits = options.contains { option in
                    var trial: [String] = []
                    check(value, against: option, at: path, &trial)
                    return trial.isEmpty
                }
                if !fits { problems.append("\(path): matches none of \(key)") }
                return
            }
        }
        let allowed = types(schema)
        if case .array(let values)? = schema["enum"], !values.contains(value), value != .null {
            problems.append("\(path): \(value) is not one of the documented values")
        }
        switch value {
        case .null:
            if !allowed.isEmpty, !allowed.contains("null") {
                problems.append("\(path): null where \(allowed) is documented")
            }
        case .bool:
            if !allowed.isEmpty, !allowed.contains("boolean") {
                problems.append("\(path): a boolean where \(allowed) is documented")
            }
        case .int:
            if !allowed.isEmpty, !allowed.contains("integer"), !allowed.contains("number") {
                problems.append("\(path): an integer where \(allowed) is documented")
            }
        case .double:
            if !allowed.isEmpty, !allowed.contains("number") {
                problems.append("\(path): a number where \(allowed) is documented")
            }
        case .string(let text):
            if !allowed.isEmpty, !allowed.contains("string") {
                problems.append("\(path): a string where \(allowed) is documented")
            }
            if schema["format"]?.string == "uuid", UUID(uuidString: text) == nil {
                problems.append("\(path): not a uuid")
            }
            if schema["format"]?.string == "date-time", (try? Date(text, strategy: .iso8601)) == nil {
                problems.append("\(path): not an ISO 8601 date-time")
            }
        case .array(let items):
            if !allowed.isEmpty, !allowed.contains("array") {
                problems.append("\(path): an array where \(allowed) is documented")
            }
            if let itemSchema = schema["items"] {
                for (index, item) in items.enumerated() {
                    check(item, against: itemSchema, at: "\(path)[\(index)]", &problems)
                }
            }
        case .object(let object):
            if !allowed.isEmpty, !allowed.contains("object") {
                problems.append("\(path): an object where \(allowed) is documented")
            }
            let properties: [String: JSONValue]
            if case .object(let documented)? = schema["properties"] {
                properties = documented
            } else {
                properties = [:]
            }
            if case .array(let required)? = schema["required"] {
                for key in required.compactMap(\.string) where object[key] == nil {
                    problems.append("\(path).\(key): required but missing")
                }
            }
            for (key, member) in object {
                if let property = properties[key] {
                    check(member, against: property, at: "\(path).\(key)", &problems)
                } else if let additional = schema["additionalProperties"], additional != .bool(false) {
                    if case .object = additional { check(member, against: additional, at: "\(path).\(key)", &problems) }
                } else if !properties.isEmpty || schema["additionalProperties"] == .bool(false) {
                    problems.append("\(path).\(key): not documented")
                }
            }
        }
    }
}

@Suite("OpenAPI: responses match their documented schemas")
struct OpenAPIConformanceTests {
    /// One customer's whole evening and an admin's reads, each answer checked against the document.
    @Test func realResponsesMatchTheDocument() async throws {
        try await withTestApp { t in
            let f = try await PaymentFixture.make(t, events: InMemoryEventBus())
            let docBody = try await t.request(.GET, "/openapi.json")
            let conformance = SchemaConformance(
                document: try JSONDecoder().decode(JSONValue.self, from: Data(buffer: docBody.body)))
            let admin = try await t.login("admin@boxoffice.local", "admin-demo-password")
            let asha = try await t.customer()
            var problems: [String] = []
            func check(
                _ method: HTTPMethod, _ template: String, _ path: String, token: String? = nil,
                json: (any Encodable & Sendable)? = nil
            ) async throws -> TestingHTTPResponse {
                let response = try await t.request(method, path, json: json, token: token)
                if response.body.readableBytes > 0, response.headers.contentType?.subType.hasSuffix("json") == true {
                    let body = try JSONDecoder().decode(JSONValue.self, from: Data(buffer: response.body))
                    problems += conformance.problems(
                        method: method.rawValue, template: template,
                        status: Int(response.status.code), body: body)
                }
                return response
            }
            let (booking, payment) = try await f.bookAndPay(["E5"], asha, code: nil)
            let show = f.show.id
            let screen = f.show.screen.id
            _ = try await check(.GET, "/health", "/health")
            _ = try await check(.GET, "/ready", "/ready")
            _ = try await check(.GET, "/movies", "/movies")
            _ = try await check(.GET, "/movies/{id}", "/movies/\(f.show.movie.id)")
            _ = try await check(.GET, "/screens", "/screens")
            _ = try await check(.GET, "/screens/{id}", "/screens/\(screen)")
            _ = try await check(.GET, "/seats", "/seats?screen_id=\(screen)")
            _ = try await check(.GET, "/seat-categories", "/seat-categories?screen_id=\(screen)")
            _ = try await check(.GET, "/shows", "/shows")
            _ = try await check(.GET, "/shows/{id}", "/shows/\(show)")
            _ = try await check(
                .GET, "/shows/{id}/availability", "/shows/\(show)/availability", token: asha.accessToken)
            _ = try await check(.GET, "/shows/{id}/best-available", "/shows/\(show)/best-available?count=2")
            _ = try await check(.GET, "/show-category-pricing", "/show-category-pricing?show_id=\(show)")
            _ = try await check(.GET, "/gst", "/gst")
            _ = try await check(.GET, "/food-items", "/food-items")
            _ = try await check(.GET, "/food-categories", "/food-categories")
            _ = try await check(.GET, "/discounts", "/discounts", token: admin.accessToken)
            _ = try await check(.GET, "/users/me", "/users/me", token: asha.accessToken)
            _ = try await check(.GET, "/users", "/users", token: admin.accessToken)
            _ = try await check(.GET, "/users/{id}", "/users/\(asha.id)", token: admin.accessToken)
            _ = try await check(
                .POST, "/seatlocks", "/seatlocks", token: asha.accessToken,
                json: CreateSeatLockRequest(showId: show, bestAvailable: .init(count: 2)))
            _ = try await check(.GET, "/seatlocks", "/seatlocks", token: asha.accessToken)
            _ = try await check(.GET, "/bookings", "/bookings", token: asha.accessToken)
            _ = try await check(.GET, "/bookings/{id}", "/bookings/\(booking.id)", token: asha.accessToken)
            _ = try await check(.GET, "/bookings/{id}/logs", "/bookings/\(booking.id)/logs", token: asha.accessToken)
            _ = try await check(
                .GET, "/bookings/{id}/cancellation", "/bookings/\(booking.id)/cancellation", token: asha.accessToken)
            _ = try await check(.GET, "/payments", "/payments", token: asha.accessToken)
            _ = try await check(
                .POST, "/bookings/{id}/cancel", "/bookings/\(booking.id)/cancel", token: asha.accessToken)
            _ = try await check(.GET, "/payments/{id}", "/payments/\(payment.paymentId)", token: asha.accessToken)
            _ = try await check(
                .GET, "/shows/available-slots", "/shows/available-slots?screen_id=\(screen)&date=2026-11-25",
                token: admin.accessToken)
            // Problems too: a 404, a 422 and a 409 have the documented problem shape.
            _ = try await check(.GET, "/movies/{id}", "/movies/\(UUID())")
            _ = try await check(.GET, "/movies", "/movies?limit=500")
            _ = try await check(
                .POST, "/bookings/{id}/cancel", "/bookings/\(booking.id)/cancel", token: asha.accessToken)
            #expect(problems.isEmpty, "\(problems.joined(separator: "\n"))")
        }
    }

    /// The checker itself: drift of each kind is caught.
    @Test func driftIsCaught() async throws {
        try await withTestApp { t in
            let docBody = try await t.request(.GET, "/openapi.json")
            let conformance = SchemaConformance(
                document: try JSONDecoder().decode(JSONValue.self, from: Data(buffer: docBody.body)))
            func problems(_ json: String) throws -> [String] {
                conformance.problems(
                    method: "GET", template: "/health", status: 200,
                    body: try JSONDecoder().decode(JSONValue.self, from: Data(json.utf8)))
            }
            #expect(try problems(#"{"status":"ok"}"#).isEmpty)
            #expect(try problems(#"{"status":"ok","extra":1}"#).count == 1)
            #expect(try problems(#"{"status":"sleepy"}"#).count == 1)
            #expect(try problems(#"{"status":3}"#).count >= 1)
            #expect(try problems(#"{}"#).count == 1)
            #expect(conformance.problems(method: "GET", template: "/health", status: 418, body: .null).count == 1)
        }
    }
}
