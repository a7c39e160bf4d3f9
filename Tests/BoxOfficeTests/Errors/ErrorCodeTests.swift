import Foundation
import Testing
import VaporTesting
@testable import BoxOffice

@Suite("Error codes")
struct ErrorCodeTests {
    /// A client reading the OpenAPI document knows every code the server can send, and only those.
    @Test func openAPIListsEveryErrorCode() async throws {
        try await withTestApp { t in
            let response = try await t.request(.GET, "/openapi.json")
            #expect(response.status == .ok)
            let document = try #require(
                try JSONSerialization.jsonObject(with: Data(buffer: response.body)) as? [String: Any])
            let schemas = try #require((document["components"] as? [String: Any])?["schemas"] as? [String: Any])
            let listed = try #require((schemas["ErrorCode"] as? [String: Any])?["enum"] as? [String])
            #expect(Set(listed) == Set(ErrorCode.allCases.map(\.rawValue)))
            #expect(listed.count == ErrorCode.allCases.count)
            let problem = (schemas["Problem"] as? [String: Any])?["properties"] as? [String: Any]
            let code = problem?["code"] as? [String: Any]
            #expect(code?["$ref"] as? String == "#/components/schemas/ErrorCode")
        }
    }

    /// The old spelling of the webhook signature failure is gone from the catalogue and reads as the new one.
    @Test func signatureFailuresHaveOneSpelling() {
        #expect(ErrorCode(rawValue: "signature_invalid") == nil)
        #expect(ErrorCode.invalidSignature.rawValue == "invalid_signature")
        #expect(APIError.unauthorized(.invalidSignature, "no").code == "invalid_signature")
    }

    /// Problem details carry the catalogue's spelling, and a status without a code of its own keeps its old one.
    @Test func problemDetailsUseTheCataloguesSpelling() {
        let problem = ProblemDetails(.conflict(.seatsUnavailable, "Taken."), requestID: "r")
        #expect(problem.code == "seats_unavailable")
        #expect(problem.type == "urn:boxoffice:problem:seats_unavailable")
        #expect(APIError.code(for: .imATeapot) == .otherClientError)
        #expect(APIError.code(for: .badGateway) == .internalError)
    }

    /// No code is spelled as a string outside the catalogue, so none can escape the OpenAPI document.
    @Test func noCodeIsSpelledOutsideTheCatalogue() throws {
        let known = Set(ErrorCode.allCases.map(\.rawValue))
        var outside: [String] = []
        var unknown: [String] = []
        for (file, literal) in try Self.codeLiterals() {
            if !known.contains(literal) { unknown.append("\(file): \(literal)") }
            outside.append("\(file): \(literal)")
        }
        #expect(outside.isEmpty, "codes spelled as strings: \(outside)")
        #expect(unknown.isEmpty, "codes not in ErrorCode: \(unknown)")
    }

    /// String literals where an error code goes: `code:` arguments, the first argument of the `APIError` and live
    /// reply factories, and what a `var code: String` returns.
    static func codeLiterals() throws -> [(file: String, literal: String)] {
        let sources = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("../../../Sources/BoxOffice").standardizedFileURL
        let call = try Regex(
            #"(?:code:\s*|\.(?:conflict|badRequest|unauthorized|forbidden)\(\s*|Reply\.error\(\s*)"([a-z][a-z_]*)""#)
        let property = try Regex(#"var code: String \{(?:[^{}]|\{[^{}]*\})*\}"#)
        let returned = try Regex(#"return "([a-z][a-z_]*)""#)
        var found: [(String, String)] = []
        let files = FileManager.default.enumerator(at: sources, includingPropertiesForKeys: nil)
        while let url = files?.nextObject() as? URL {
            guard url.pathExtension == "swift", !url.lastPathComponent.hasPrefix("ErrorCode.swift") else { continue }
            let file = String(url.standardizedFileURL.path.dropFirst(sources.path.count + 1))
            let text = try String(contentsOf: url, encoding: .utf8)
            for match in text.matches(of: call) {
                if let literal = match.output[1].substring { found.append((file, String(literal))) }
            }
            for body in text.matches(of: property) {
                for match in text[body.range].matches(of: returned) {
                    if let literal = match.output[1].substring { found.append((file, String(literal))) }
                }
            }
        }
        return found
    }
}
