import Foundation
import NIOPosix
import Vapor

/// Serves `PosterStore` files from `UPLOADS_DIR` under `/static/uploads/`. Only names the store generates are looked
/// up, so no request path can reach outside the folder; anything else falls through to the router (404).
struct UploadsMiddleware: AsyncMiddleware {
    let directory: String
    var threadPool: NIOThreadPool = .singleton

    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        guard request.method == .GET || request.method == .HEAD,
            let name = PosterStore.storedName(fromURL: request.pathOnce)
        else { return try await next.respond(to: request) }
        let path = URL(fileURLWithPath: directory, isDirectory: true).appendingPathComponent(name).path
        let exists = try await threadPool.runIfActive { FileManager.default.fileExists(atPath: path) }
        guard exists else { return try await next.respond(to: request) }
        let response = try await request.fileio.asyncStreamFile(at: path)
        response.headers.replaceOrAdd(name: "X-Content-Type-Options", value: "nosniff")
        // A stored name never gets other content, so clients may keep it for good.
        response.headers.replaceOrAdd(name: .cacheControl, value: "public, max-age=31536000, immutable")
        return response
    }
}
