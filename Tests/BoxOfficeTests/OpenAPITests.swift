import Foundation
import Testing
import VaporTesting
@testable import BoxOffice

@Suite("OpenAPI document")
struct OpenAPITests {
    /// Every registered route is in the served document and the document names no route that does not exist.
    @Test func documentAndRoutesMatchExactly() async throws {
        try await withTestApp { t in
            let response = try await t.request(.GET, "/openapi.json")
            #expect(response.status == .ok)
            let document = try #require(
                try JSONSerialization.jsonObject(with: Data(buffer: response.body)) as? [String: Any])
            #expect((document["openapi"] as? String)?.hasPrefix("3.1") == true)
            let paths = try #require(document["paths"] as? [String: [String: Any]])
            let documented = Set(
                paths.flatMap { path, item in
                    item.keys.filter { ["get", "post", "put", "patch", "delete"].contains($0) }.map {
                        "\($0.uppercased()) \(path)"
                    }
                })
            let registered = Set(
                t.app.routes.all.map {
                    "\($0.method.rawValue) \(OpenAPIDocumentBuilder.openAPIPath($0.path))"
                })
            #expect(
                registered.subtracting(documented).isEmpty,
                "routes missing from the document: \(registered.subtracting(documented))")
            #expect(
                documented.subtracting(registered).isEmpty,
                "documented routes that do not exist: \(documented.subtracting(registered))")
            #expect(t.app.routes.all.allSatisfy { $0.apiDoc != nil })

            let schemes = (document["components"] as? [String: Any])?["securitySchemes"] as? [String: Any]
            #expect(schemes?["bearerAuth"] != nil)
            let me = paths["/users/me"]?["get"] as? [String: Any]
            #expect((me?["security"] as? [[String: [String]]])?.first?["bearerAuth"] != nil)
            let schemas = (document["components"] as? [String: Any])?["schemas"] as? [String: Any]
            for name in ["Problem", "SignupRequest", "TokenResponse", "UserResponse", "UserResponsePage"] {
                #expect(schemas?[name] != nil, "schema \(name) missing")
            }
        }
    }

    /// The access level each route documents is the one it enforces: an admin route answers customers and ushers
    /// 403, a door (staff) route answers customers 403 and lets ushers through.
    @Test func documentedAccessMatchesEnforcedAccess() async throws {
        try await withTestApp { t in
            let user = try await t.customer()
            let usher = try await t.usher()
            var staffRoutes = 0
            for route in t.app.routes.all {
                guard let doc = route.apiDoc, doc.access != .public else { continue }
                let path =
                    "/"
                    + route.path.map { component -> String in
                        if case .constant(let value) = component { return value }
                        return UUID().uuidString
                    }.joined(separator: "/")
                let anonymous = try await t.request(route.method, path)
                #expect(anonymous.status == .unauthorized, "\(route.method) \(path) should need a token")
                if doc.access == .admin {
                    let asUser = try await t.request(route.method, path, token: user.accessToken)
                    #expect(asUser.status == .forbidden, "\(route.method) \(path) should be admin-only")
                    let asUsher = try await t.request(route.method, path, token: usher.accessToken)
                    #expect(
                        asUsher.status == .forbidden, "\(route.method) \(path) should be admin-only, not for ushers")
                }
                if doc.access == .staff {
                    staffRoutes += 1
                    let asUser = try await t.request(route.method, path, token: user.accessToken)
                    #expect(asUser.status == .forbidden, "\(route.method) \(path) should be for staff only")
                    let asUsher = try await t.request(route.method, path, token: usher.accessToken)
                    #expect(
                        ![.unauthorized, .forbidden].contains(asUsher.status),
                        "\(route.method) \(path) should let ushers through")
                }
            }
            #expect(
                staffRoutes == 3,
                "POST /checkins, GET /shows/{id}/checkins and GET /shows/{id}/pricing are the ushers' routes")
        }
    }
}
