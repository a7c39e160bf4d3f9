import Vapor

/// Serves files from `Public/` only under one path prefix, so API requests never touch the file system.
struct StaticFilesMiddleware: AsyncMiddleware {
    let prefix: String
    let files: FileMiddleware

    init(prefix: String, publicDirectory: String) {
        self.prefix = prefix
        self.files = FileMiddleware(publicDirectory: publicDirectory)
    }

    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        guard request.method == .GET || request.method == .HEAD, request.pathOnce.hasPrefix(prefix) else {
            return try await next.respond(to: request)
        }
        return try await files.respond(to: request, chainingTo: next)
    }
}
