import Fluent
import Vapor

/// `/movies`: the public catalog, admin edits and poster uploads.
struct MovieController: RouteCollection {
    let context: RouteContext
    let movies: MovieService

    func boot(routes: any RoutesBuilder) throws {
        let (open, _, admin) = context.routes(routes, "movies", tag: "Movies")
        open.on(
            .GET, summary: "List movies (answered from a cache dropped by admin writes; ETag/If-None-Match)",
            response: .page(of: MovieResponse.self),
            query: APIDoc.QueryParameter.paging + Self.listParameters, use: index)
        open.on(.GET, ":id", summary: "One movie", response: .of(MovieResponse.self), use: show)
        admin.on(
            .POST, summary: "Create a movie", body: .of(CreateMovieRequest.self), status: .created,
            response: .of(MovieResponse.self), use: create)
        admin.on(
            .PUT, ":id", summary: "Replace a movie (fields left out go back to their defaults)",
            body: .of(CreateMovieRequest.self), response: .of(MovieResponse.self), use: replace)
        admin.on(
            .PATCH, ":id", summary: "Change some fields of a movie", body: .of(UpdateMovieRequest.self),
            response: .of(MovieResponse.self), use: update)
        admin.on(
            .DELETE, ":id", summary: "Delete a movie that has no shows (deactivate it otherwise)",
            status: .noContent, errors: [.conflict], use: delete)
        admin.on(
            .POST, ":id", "poster", summary: "Upload the poster: JPEG, PNG or WebP, at most 5 MiB",
            body: .of(PosterUpload.self), response: .of(MovieResponse.self), errors: [.unsupportedMediaType],
            maxBodySize: "6mb", bodyContentType: "multipart/form-data", use: uploadPoster
        ).withoutDeadline()
    }

    @Sendable func index(req: Request) async throws -> Response {
        try await context.lists.respond(to: req) {
            try await movies.list(try MovieListQuery(from: req), page: try PageRequest(from: req), on: req.db)
        }
    }

    @Sendable func show(req: Request) async throws -> MovieResponse {
        try MovieResponse(try await movies.require(try req.requireID("id", "Movie"), on: req.db))
    }

    @Sendable func create(req: Request) async throws -> Created<MovieResponse> {
        Created(try MovieResponse(try await movies.create(try req.content.decode(CreateMovieRequest.self), on: req.db)))
    }

    @Sendable func replace(req: Request) async throws -> MovieResponse {
        let id = try req.requireID("id", "Movie")
        let body = try req.content.decode(CreateMovieRequest.self)
        return try MovieResponse(try await movies.replace(id, with: body, on: req.db, logger: req.logger))
    }

    @Sendable func update(req: Request) async throws -> MovieResponse {
        let id = try req.requireID("id", "Movie")
        let body = try req.content.decode(UpdateMovieRequest.self)
        return try MovieResponse(try await movies.update(id, with: body, on: req.db, logger: req.logger))
    }

    @Sendable func delete(req: Request) async throws -> HTTPStatus {
        try await movies.delete(try req.requireID("id", "Movie"), on: req.db, logger: req.logger)
        return .noContent
    }

    @Sendable func uploadPoster(req: Request) async throws -> MovieResponse {
        let id = try req.requireID("id", "Movie")
        guard req.headers.contentType == .formData else {
            throw APIError(
                .unsupportedMediaType, code: .unsupportedMediaType,
                detail: "Send the image as multipart/form-data in a part named file.")
        }
        let upload: PosterUpload
        do {
            upload = try req.content.decode(PosterUpload.self)
        } catch let error where APIError.from(error) != nil {
            throw error
        } catch {
            throw APIError.badRequest(.malformedBody, "The multipart body could not be read.")
        }
        return try MovieResponse(try await movies.setPoster(id, image: upload.file, on: req.db, logger: req.logger))
    }

    private static let listParameters: [APIDoc.QueryParameter] = [
        .init(name: "q", schema: .string(required: false), description: "Title contains (case-insensitive)"),
        .init(name: "genre", schema: .string(required: false), description: "Has this genre (case-insensitive)"),
        .init(name: "language", schema: .string(required: false), description: "Has this language"),
        .init(name: "format", schema: .string(required: false), description: "Has this format, e.g. 2D, IMAX"),
        .init(name: "is_active", schema: .boolean(required: false), description: "Only active (or inactive) movies"),
        .init(
            name: "released_from", schema: .string(format: .date, required: false),
            description: "Released on or after this date (YYYY-MM-DD)"),
        .init(
            name: "released_to", schema: .string(format: .date, required: false),
            description: "Released on or before this date (YYYY-MM-DD)"),
        .init(
            name: "sort", schema: .enumeration(MovieListQuery.Sort.self, required: false),
            description: "Sort key (default title); movies without a release date or rating come last"),
        .init(
            name: "order", schema: .enumeration(MovieListQuery.Order.self, required: false),
            description: "asc (default) or desc"),
    ]
}
