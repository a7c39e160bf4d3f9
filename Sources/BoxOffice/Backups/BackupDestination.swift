import AsyncHTTPClient
import Foundation
import NIOCore
import NIOFoundationCompat
import NIOHTTP1

/// Where backups are kept. The ZIP is always written to `BACKUP_DIR` first; a remote destination then keeps its own
/// copy, from which a restore reads when the local file is gone.
protocol BackupDestination: Sendable {
    /// `local` or `github`, as records name it.
    var name: String { get }
    /// Stores the archive; returns where it now is (the record's `location`).
    func store(_ file: URL, named name: String) async throws -> String
    /// Writes the stored archive to `file`.
    func fetch(_ location: String, to file: URL) async throws
    func delete(_ location: String) async throws
}

/// Keeps the archive in `BACKUP_DIR` only (the default): storing and deleting are the local file's own, and a
/// file that is gone cannot be fetched back.
struct LocalBackupDestination: BackupDestination {
    var name: String { "local" }

    func store(_ file: URL, named name: String) async throws -> String { name }

    func fetch(_ location: String, to file: URL) async throws {
        throw BackupError.invalidArchive("The backup's file \(location) is gone from BACKUP_DIR.")
    }

    func delete(_ location: String) async throws {}
}

/// A GitHub repository, through the contents API: `PUT /repos/{owner}/{repo}/contents/{path}` with the file in
/// base64, `GET` with the raw media type to read it back, `DELETE` with the file's blob SHA.
struct GitHubBackupDestination: BackupDestination {
    let repository: String
    let token: String
    let apiURL: String
    let client: HTTPClient
    /// Folder in the repository.
    var folder = "backups"
    /// The contents API takes files up to 100 MB.
    var maxBytes = 100_000_000
    var name: String { "github" }

    func store(_ file: URL, named name: String) async throws -> String {
        let data = try Data(contentsOf: file)
        guard data.count <= maxBytes else {
            throw BackupError.tooLarge(
                "The backup is \(data.count) bytes; GitHub's contents API takes at most \(maxBytes) bytes per file.")
        }
        let path = "\(folder)/\(name)"
        struct Put: Encodable {
            var message: String
            var content: String
        }
        let body = try JSONEncoder().encode(
            Put(message: "BoxOffice backup \(name)", content: data.base64EncodedString()))
        let response = try await send(.PUT, path, body: body)
        guard response.status == .created || response.status == .ok else {
            throw BackupError.destination(
                "GitHub refused the upload: \(response.status.code) \(response.text.prefix(200))")
        }
        return path
    }

    func fetch(_ location: String, to file: URL) async throws {
        let response = try await send(.GET, location, accept: "application/vnd.github.raw+json")
        guard response.status == .ok else {
            throw BackupError.destination("GitHub did not return \(location): \(response.status.code)")
        }
        try response.body.write(to: file)
    }

    func delete(_ location: String) async throws {
        let found = try await send(.GET, location)
        if found.status == .notFound { return }
        struct Metadata: Decodable { var sha: String }
        guard found.status == .ok, let sha = try? JSONDecoder().decode(Metadata.self, from: found.body).sha else {
            throw BackupError.destination("GitHub did not describe \(location): \(found.status.code)")
        }
        struct Delete: Encodable {
            var message: String
            var sha: String
        }
        let body = try JSONEncoder().encode(Delete(message: "BoxOffice: delete backup \(location)", sha: sha))
        let response = try await send(.DELETE, location, body: body)
        guard response.status == .ok || response.status == .notFound else {
            throw BackupError.destination("GitHub refused the delete: \(response.status.code)")
        }
    }

    private struct Reply {
        var status: HTTPResponseStatus
        var body: Data
        var text: String { String(decoding: body, as: UTF8.self) }
    }

    private func send(
        _ method: HTTPMethod, _ path: String, body: Data? = nil, accept: String = "application/vnd.github+json"
    ) async throws -> Reply {
        let encodedPath = path.split(separator: "/").map {
            $0.addingPercentEncoding(withAllowedCharacters: .urlPathAllowed) ?? String($0)
        }.joined(separator: "/")
        var request = HTTPClientRequest(url: "\(apiURL)/repos/\(repository)/contents/\(encodedPath)")
        request.method = method
        request.headers.add(name: "Authorization", value: "Bearer \(token)")
        request.headers.add(name: "Accept", value: accept)
        request.headers.add(name: "X-GitHub-Api-Version", value: "2022-11-28")
        request.headers.add(name: "User-Agent", value: "BoxOffice")
        if let body {
            request.headers.add(name: "Content-Type", value: "application/json")
            request.body = .bytes(ByteBuffer(data: body))
        }
        do {
            let response = try await client.execute(request, timeout: .seconds(60))
            let bytes = try await response.body.collect(upTo: maxBytes + 1_000_000)
            return Reply(status: response.status, body: Data(buffer: bytes))
        } catch let error as APIError {
            throw error
        } catch {
            throw BackupError.destination("GitHub could not be reached: \(error)")
        }
    }
}
