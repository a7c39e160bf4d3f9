import Fluent
import FluentSQL
import Vapor

/// Movies: list with filters, create, replace, patch, delete, and posters.
struct MovieService: Sendable {
    let posters: PosterStore

    func list(_ filters: MovieListQuery, page: PageRequest, on db: any Database) async throws -> Page<MovieResponse> {
        let query = Movie.query(on: db)
        if let q = filters.q { query.filter("title_search", containsLiterally: q.lowercased()) }
        for (kind, value) in [("genre", filters.genre), ("language", filters.language), ("format", filters.format)] {
            if let value { query.filter("tags", containsLiterally: "|" + Movie.tag(kind, value) + "|") }
        }
        if let isActive = filters.isActive { query.filter(\.$isActive == isActive) }
        if let from = filters.releasedFrom { query.filter(\.$releaseDate >= from) }
        if let to = filters.releasedTo { query.filter(\.$releaseDate <= to) }
        let direction: DatabaseQuery.Sort.Direction = filters.order == .asc ? .ascending : .descending
        switch filters.sort {
        case .title: query.sort(\.$titleSearch, direction)
        case .releaseDate: query.sortNullsLast("release_date").sort(\.$releaseDate, direction)
        case .rating: query.sortNullsLast("rating").sort(\.$rating, direction)
        }
        return try await query.sort(\.$titleSearch).sort(\.$id).page(page, map: MovieResponse.init)
    }

    func require(_ id: UUID, on db: any Database) async throws -> Movie {
        guard let movie = try await Movie.find(id, on: db) else { throw APIError.notFound("Movie") }
        return movie
    }

    func create(_ request: CreateMovieRequest, on db: any Database) async throws -> Movie {
        try request.validate()
        let movie = Movie()
        apply(request, to: movie)
        try await movie.create(on: db)
        return movie
    }

    /// PUT: every field from the request; what it leaves out goes back to its default.
    func replace(_ id: UUID, with request: CreateMovieRequest, on db: any Database, logger: Logger) async throws
        -> Movie
    {
        let movie = try await require(id, on: db)
        try request.validate()
        return try await save(request, to: movie, on: db, logger: logger)
    }

    /// PATCH: the present fields over the stored movie, validated as a whole.
    func update(_ id: UUID, with patch: UpdateMovieRequest, on db: any Database, logger: Logger) async throws -> Movie {
        let movie = try await require(id, on: db)
        let merged = patch.applied(to: CreateMovieRequest(movie))
        try merged.validate()
        return try await save(merged, to: movie, on: db, logger: logger)
    }

    /// A movie that was ever scheduled stays (deactivate it instead); so does one a promo code is scoped to.
    func delete(_ id: UUID, on db: any Database, logger: Logger) async throws {
        let movie = try await require(id, on: db)
        guard try await Show.query(on: db).filter(\.$movie.$id == id).count() == 0 else { throw hasShows }
        guard try await Discount.query(on: db).filter(\.$movie.$id == id).count() == 0 else {
            throw Constraint.discountsMovie.error()
        }
        // A show scheduled (or a promo code scoped) meanwhile breaks a foreign key.
        try await Constraint.mapping(.showsMovie, .discountsMovie) { try await movie.delete(on: db) }
        await discardUpload(movie.posterURL, on: db, logger: logger)
        await discardUpload(movie.backgroundImageURL, on: db, logger: logger)
    }

    /// Stores the image as the movie's poster and removes the one it replaces.
    func setPoster(_ id: UUID, image: Data, on db: any Database, logger: Logger) async throws -> Movie {
        let movie = try await require(id, on: db)
        let previous = movie.posterURL
        let url = try await posters.store(image)
        movie.posterURL = url
        do {
            try await movie.save(on: db)
        } catch {
            await posters.remove(url: url, logger: logger)
            throw error
        }
        await discardUpload(previous, on: db, logger: logger)
        return movie
    }

    private var hasShows: APIError { Constraint.showsMovie.error() }

    private func save(_ request: CreateMovieRequest, to movie: Movie, on db: any Database, logger: Logger) async throws
        -> Movie
    {
        let previous = [movie.posterURL, movie.backgroundImageURL]
        apply(request, to: movie)
        try await movie.save(on: db)
        for url in previous { await discardUpload(url, on: db, logger: logger) }
        return movie
    }

    /// Removes an uploaded file once no movie or food item points at it any more.
    private func discardUpload(_ url: String?, on db: any Database, logger: Logger) async {
        guard let url, PosterStore.storedName(fromURL: url) != nil else { return }
        do {
            let movies = try await Movie.query(on: db)
                .group(.or) { $0.filter(\.$posterURL == url).filter(\.$backgroundImageURL == url) }.count()
            let foods = try await FoodItem.query(on: db).filter(\.$imageURL == url).count()
            guard movies + foods == 0 else { return }
        } catch {
            return
        }
        await posters.remove(url: url, logger: logger)
    }

    private func apply(_ request: CreateMovieRequest, to movie: Movie) {
        movie.title = request.title.trimmed
        movie.description = (request.description ?? "").trimmed
        movie.durationMinutes = request.durationMinutes
        movie.genres = Self.labels(request.genres)
        movie.languages = Self.labels(request.languages)
        movie.formats = Self.labels(request.formats)
        movie.releaseDate = request.releaseDate
        movie.rating = request.rating
        movie.certificate = request.certificate.flatMap(MovieCertificate.canonical)
        movie.posterURL = request.posterUrl
        movie.backgroundImageURL = request.backgroundImageUrl
        movie.cast = (request.cast ?? []).map { Credit(name: $0.name.trimmed, role: $0.role?.trimmed) }
        movie.crew = (request.crew ?? []).map { Credit(name: $0.name.trimmed, role: $0.role?.trimmed) }
        movie.isActive = request.isActive ?? true
        movie.refreshSearchColumns()
    }

    /// Trimmed, in the given order, without case-insensitive repeats.
    private static func labels(_ values: [String]?) -> [String] {
        var seen = Set<String>()
        return (values ?? []).map(\.trimmed).filter { seen.insert($0.lowercased()).inserted }
    }
}

// MARK: - Portable query helpers (SQLite and PostgreSQL alike)

extension QueryBuilder {
    /// `column LIKE '%text%'`, with `%`, `_` and `\` in `text` matched as themselves.
    @discardableResult
    func filter(_ column: String, containsLiterally text: String) -> Self {
        let escaped = text.replacingOccurrences(of: "\\", with: "\\\\")
            .replacingOccurrences(of: "%", with: "\\%").replacingOccurrences(of: "_", with: "\\_")
        return filter(
            .sql(
                embed: """
                    \(ident: Model.schemaOrAlias).\(ident: column) LIKE \(bind: "%" + escaped + "%") ESCAPE '\\'
                    """))
    }

    /// Puts rows whose `column` is NULL after all others, whatever the direction of the sort that follows
    /// (SQLite and PostgreSQL disagree on where NULLs go by default).
    @discardableResult
    func sortNullsLast(_ column: String) -> Self {
        sort(.sql(embed: "\(ident: Model.schemaOrAlias).\(ident: column) IS NULL"))
    }
}
