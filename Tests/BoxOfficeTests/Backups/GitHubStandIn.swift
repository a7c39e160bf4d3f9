import Foundation
import NIOConcurrencyHelpers
import Vapor

/// A small local server that speaks the part of GitHub's contents API that backups use:
/// `PUT /repos/{owner}/{repo}/contents/{path}` (base64 `content`; a `sha` to replace), `GET` (JSON with base64
/// content, or the raw bytes with `Accept: application/vnd.github.raw+json`) and `DELETE` (with the blob `sha`).
/// Requests without `Authorization: Bearer <token>` get 401, as GitHub answers them.
final class GitHubStandIn: Sendable {
    let app: Application
    let port: Int
    let token: String
    private let files: NIOLockedValueBox<[String: Data]>

    private init(app: Application, port: Int, token: String, files: NIOLockedValueBox<[String: Data]>) {
        self.app = app
        self.port = port
        self.token = token
        self.files = files
    }

    var url: String { "http://127.0.0.1:\(port)" }

    func file(_ repoPath: String) -> Data? { files.withLockedValue { $0[repoPath] } }

    /// Changes a stored file behind the app's back, as anyone who can write the repository could.
    func replace(_ repoPath: String, with data: Data) { files.withLockedValue { $0[repoPath] = data } }

    static func start(token: String = "ghp_test_token") async throws -> GitHubStandIn {
        let app = try await Application.make(.testing)
        app.logger.logLevel = .error
        app.routes.defaultMaxBodySize = "200mb"
        let files = NIOLockedValueBox<[String: Data]>([:])
        @Sendable func key(_ req: Request) -> String {
            let owner = req.parameters.get("owner") ?? "", repo = req.parameters.get("repo") ?? ""
            return "\(owner)/\(repo)/" + req.parameters.getCatchall().joined(separator: "/")
        }
        @Sendable func sha(_ data: Data) -> String {
            Insecure.SHA1.hash(data: data).map { String(format: "%02x", $0) }.joined()
        }
        @Sendable func authorized(_ req: Request) -> Bool { req.headers.bearerAuthorization?.token == token }
        @Sendable func json(_ status: HTTPStatus, _ object: [String: Any]) throws -> Response {
            let response = Response(
                status: status, body: .init(data: try JSONSerialization.data(withJSONObject: object)))
            response.headers.contentType = .json
            return response
        }
        let contents = app.grouped("repos", ":owner", ":repo", "contents")
        contents.on(.PUT, "**", body: .collect(maxSize: "200mb")) { req -> Response in
            guard authorized(req) else { return try json(.unauthorized, ["message": "Bad credentials"]) }
            struct Put: Decodable {
                var message: String
                var content: String
                var sha: String?
            }
            let body = try JSONDecoder().decode(Put.self, from: Data(buffer: req.body.data ?? ByteBuffer()))
            guard let data = Data(base64Encoded: body.content) else {
                return try json(.unprocessableEntity, ["message": "content is not valid Base64"])
            }
            let path = key(req)
            let existing = files.withLockedValue { $0[path] }
            if let existing, body.sha != sha(existing) {
                return try json(.conflict, ["message": "\(path) does not match \(body.sha ?? "")"])
            }
            files.withLockedValue { $0[path] = data }
            return try json(
                existing == nil ? .created : .ok, ["content": ["path": path, "sha": sha(data), "size": data.count]])
        }
        contents.get("**") { req -> Response in
            guard authorized(req) else { return try json(.unauthorized, ["message": "Bad credentials"]) }
            guard let data = files.withLockedValue({ $0[key(req)] }) else {
                return try json(.notFound, ["message": "Not Found"])
            }
            if req.headers.first(name: .accept)?.contains("raw") == true {
                return Response(status: .ok, body: .init(data: data))
            }
            return try json(
                .ok,
                [
                    "type": "file", "encoding": "base64", "size": data.count, "sha": sha(data),
                    "content": data.base64EncodedString(options: .lineLength76Characters),
                ])
        }
        contents.on(.DELETE, "**") { req -> Response in
            guard authorized(req) else { return try json(.unauthorized, ["message": "Bad credentials"]) }
            struct Delete: Decodable { var sha: String }
            let body = try JSONDecoder().decode(Delete.self, from: Data(buffer: req.body.data ?? ByteBuffer()))
            let path = key(req)
            guard let existing = files.withLockedValue({ $0[path] }) else {
                return try json(.notFound, ["message": "Not Found"])
            }
            guard sha(existing) == body.sha else { return try json(.conflict, ["message": "sha does not match"]) }
            files.withLockedValue { $0[path] = nil }
            return try json(.ok, ["commit": ["message": "deleted"]])
        }
        try await app.server.start(address: .hostname("127.0.0.1", port: 0))
        guard let port = app.http.server.shared.localAddress?.port else {
            try await app.asyncShutdown()
            throw Abort(.internalServerError)
        }
        return GitHubStandIn(app: app, port: port, token: token, files: files)
    }

    /// Runs `body` with a started stand-in, and stops it afterwards, even when `body` throws.
    static func with(_ body: (GitHubStandIn) async throws -> Void) async throws {
        let github = try await start()
        do {
            try await body(github)
        } catch {
            await github.stop()
            throw error
        }
        await github.stop()
    }

    func stop() async {
        await app.server.shutdown()
        try? await app.asyncShutdown()
    }
}
