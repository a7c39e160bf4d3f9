import Vapor

/// India's CBFC certificates: U, UA with its age bands (2024), A and S. Spaces are ignored, so `UA 13+` is `UA13+`.
enum MovieCertificate {
    static let all = ["U", "UA", "UA7+", "UA13+", "UA16+", "A", "S"]

    /// The canonical spelling, or nil if `raw` is not a certificate.
    static func canonical(_ raw: String) -> String? {
        let compact = raw.uppercased().filter { !$0.isWhitespace }
        return all.contains(compact) ? compact : nil
    }
}

/// `POST /movies` and `PUT /movies/{id}` (a full replace: what is left out is reset to its default).
struct CreateMovieRequest: Content {
    var title: String
    var description: String?
    var durationMinutes: Int
    var genres: [String]?
    var languages: [String]?
    var formats: [String]?
    /// `YYYY-MM-DD`.
    var releaseDate: String?
    var rating: Double?
    var certificate: String?
    var posterUrl: String?
    var backgroundImageUrl: String?
    var cast: [Credit]?
    var crew: [Credit]?
    var isActive: Bool?

    func validate() throws {
        var checks = FieldChecks()
        checks.text(title, "title", max: 200)
        checks.require((description ?? "").count <= 5000, "description", "must be at most 5000 characters")
        checks.require((1...600).contains(durationMinutes), "duration_minutes", "must be from 1 to 600")
        checks.labels(genres ?? [], "genres")
        checks.labels(languages ?? [], "languages")
        checks.labels(formats ?? [], "formats")
        if let releaseDate { checks.calendarDate(releaseDate, "release_date") }
        if let rating { checks.require(rating.isFinite && (0...10).contains(rating), "rating", "must be from 0 to 10") }
        if let certificate {
            checks.require(
                MovieCertificate.canonical(certificate) != nil, "certificate",
                "must be one of \(MovieCertificate.all.joined(separator: ", "))")
        }
        if let posterUrl { checks.imageURL(posterUrl, "poster_url") }
        if let backgroundImageUrl { checks.imageURL(backgroundImageUrl, "background_image_url") }
        for (list, field) in [(cast ?? [], "cast"), (crew ?? [], "crew")] {
            for (index, credit) in list.enumerated() {
                checks.text(credit.name, "\(field)[\(index)].name", max: 100)
                if let role = credit.role { checks.text(role, "\(field)[\(index)].role", max: 100) }
            }
        }
        try checks.throwIfAny()
    }
}

extension CreateMovieRequest {
    /// The request that would recreate `movie` as it is: the base a PATCH is applied to.
    init(_ movie: Movie) {
        self.init(
            title: movie.title, description: movie.description, durationMinutes: movie.durationMinutes,
            genres: movie.genres, languages: movie.languages, formats: movie.formats, releaseDate: movie.releaseDate,
            rating: movie.rating, certificate: movie.certificate, posterUrl: movie.posterURL,
            backgroundImageUrl: movie.backgroundImageURL, cast: movie.cast, crew: movie.crew, isActive: movie.isActive)
    }
}

/// `PATCH /movies/{id}`: only the fields present change (null counts as absent; PUT clears fields).
struct UpdateMovieRequest: Content {
    var title: String?
    var description: String?
    var durationMinutes: Int?
    var genres: [String]?
    var languages: [String]?
    var formats: [String]?
    var releaseDate: String?
    var rating: Double?
    var certificate: String?
    var posterUrl: String?
    var backgroundImageUrl: String?
    var cast: [Credit]?
    var crew: [Credit]?
    var isActive: Bool?

    func applied(to base: CreateMovieRequest) -> CreateMovieRequest {
        var result = base
        if let title { result.title = title }
        if let description { result.description = description }
        if let durationMinutes { result.durationMinutes = durationMinutes }
        if let genres { result.genres = genres }
        if let languages { result.languages = languages }
        if let formats { result.formats = formats }
        if let releaseDate { result.releaseDate = releaseDate }
        if let rating { result.rating = rating }
        if let certificate { result.certificate = certificate }
        if let posterUrl { result.posterUrl = posterUrl }
        if let backgroundImageUrl { result.backgroundImageUrl = backgroundImageUrl }
        if let cast { result.cast = cast }
        if let crew { result.crew = crew }
        if let isActive { result.isActive = isActive }
        return result
    }
}

struct MovieResponse: Content {
    var id: UUID
    var title: String
    var description: String
    var durationMinutes: Int
    var genres: [String]
    var languages: [String]
    var formats: [String]
    var releaseDate: String?
    var rating: Double?
    var certificate: String?
    var posterUrl: String?
    var backgroundImageUrl: String?
    var cast: [Credit]
    var crew: [Credit]
    var isActive: Bool
    var createdAt: Date?
    var updatedAt: Date?

    init(_ movie: Movie) throws {
        id = try movie.requireID()
        title = movie.title
        description = movie.description
        durationMinutes = movie.durationMinutes
        genres = movie.genres
        languages = movie.languages
        formats = movie.formats
        releaseDate = movie.releaseDate
        rating = movie.rating
        certificate = movie.certificate
        posterUrl = movie.posterURL
        backgroundImageUrl = movie.backgroundImageURL
        cast = movie.cast
        crew = movie.crew
        isActive = movie.isActive
        createdAt = movie.createdAt
        updatedAt = movie.updatedAt
    }
}

/// The filters and order of `GET /movies`.
struct MovieListQuery: Sendable {
    enum Sort: String, CaseIterable, Sendable {
        case title
        case releaseDate = "release_date"
        case rating
    }

    enum Order: String, CaseIterable, Sendable {
        case asc
        case desc
    }

    var q: String?
    var genre: String?
    var language: String?
    var format: String?
    var isActive: Bool?
    var releasedFrom: String?
    var releasedTo: String?
    var sort: Sort = .title
    var order: Order = .asc

    init(from req: Request) throws {
        var checks = FieldChecks()
        q = try req.queryText("q")
        genre = try req.queryText("genre")
        language = try req.queryText("language")
        format = try req.queryText("format")
        isActive = try req.query.get(Bool?.self, at: "is_active")
        releasedFrom = try req.queryText("released_from")
        releasedTo = try req.queryText("released_to")
        if let releasedFrom { checks.calendarDate(releasedFrom, "released_from") }
        if let releasedTo { checks.calendarDate(releasedTo, "released_to") }
        if let raw = try req.queryText("sort") {
            if let sort = Sort(rawValue: raw) {
                self.sort = sort
            } else {
                checks.require(false, "sort", "must be one of title, release_date, rating")
            }
        }
        if let raw = try req.queryText("order") {
            if let order = Order(rawValue: raw) {
                self.order = order
            } else {
                checks.require(false, "order", "must be asc or desc")
            }
        }
        try checks.throwIfAny()
    }
}

/// The multipart body of `POST /movies/{id}/poster`: one part named `file`.
struct PosterUpload: Content {
    var file: Data
}

extension FieldChecks {
    /// A real calendar date written `YYYY-MM-DD` (`2026-02-30` is refused).
    mutating func calendarDate(_ value: String, _ field: String) {
        require(CinemaTime(timeZone: .gmt).date(value) != nil, field, "must be a real date written YYYY-MM-DD")
    }

    /// Short labels (genres, languages, formats, categories): non-blank, at most 50 characters, no `|`.
    mutating func labels(_ values: [String], _ field: String) {
        for (index, value) in values.enumerated() {
            let trimmed = value.trimmed
            require(
                !trimmed.isEmpty && trimmed.count <= 50 && !trimmed.contains("|"), "\(field)[\(index)]",
                "must be 1 to 50 characters, without |")
        }
    }

    /// An image address: `http(s)://…` or one of our own `/static/uploads/…` files.
    mutating func imageURL(_ value: String, _ field: String) {
        let isWeb = (value.hasPrefix("https://") || value.hasPrefix("http://")) && URL(string: value)?.host != nil
        let isOurs = PosterStore.storedName(fromURL: value) != nil
        require(
            value.count <= 500 && (isWeb || isOurs), field,
            "must be an http(s) URL or a /static/uploads/ path, at most 500 characters")
    }
}
