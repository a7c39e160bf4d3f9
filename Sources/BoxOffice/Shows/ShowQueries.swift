import Vapor

/// `GET /shows`: movie, screen, cinema-local date, status and a start window.
struct ShowListQuery: ListQuery {
    var movieID: UUID?
    var screenID: UUID?
    var date: String?
    var status: ShowStatus?
    var from: Date?
    var to: Date?
    /// Each show's price per category now (demand pricing moves them), read fresh rather than from the list cache.
    var withPrices: Bool

    init(from req: Request) throws {
        withPrices = try req.query.get(Bool?.self, at: "with_prices") ?? false
        movieID = try req.query.get(UUID?.self, at: "movie_id")
        screenID = try req.query.get(UUID?.self, at: "screen_id")
        date = try req.queryLocalDate("date")
        status = try req.queryEnum("status", ShowStatus.self)
        from = try req.queryDate("from")
        to = try req.queryDate("to")
    }

    static let parameters: [APIDoc.QueryParameter] = [
        .uuid("movie_id", "Only this movie's"),
        .uuid("screen_id", "Only this screen's"),
        .localDate("date", "Cinema-local date"),
        .init(
            name: "status", schema: .enumeration(ShowStatus.self, required: false),
            description: "SCHEDULED or CANCELLED"),
        .dateTime("from", "Starting at or after"),
        .dateTime("to", "Starting before"),
        .init(
            name: "with_prices", schema: .boolean(required: false),
            description: "Add each show's price per seat category now (moved by demand pricing); not served from the "
                + "list cache"),
    ]
}

/// `GET /shows/available-slots`: a screen and a date are required; a movie narrows to windows it fits.
struct SlotsQuery: ListQuery {
    var screenID: UUID
    var date: String
    var movieID: UUID?

    init(from req: Request) throws {
        var checks = FieldChecks()
        let screenID = try req.query.get(UUID?.self, at: "screen_id")
        let date = try req.queryLocalDate("date")
        checks.require(screenID != nil, "screen_id", "is required")
        checks.require(date != nil, "date", "is required")
        try checks.throwIfAny()
        self.screenID = screenID!
        self.date = date!
        movieID = try req.query.get(UUID?.self, at: "movie_id")
    }

    static let parameters: [APIDoc.QueryParameter] = [
        .uuid("screen_id", "The screen", required: true),
        .localDate("date", "Cinema-local date", required: true),
        .uuid("movie_id", "Only windows this movie fits in, with its latest start"),
    ]
}
