import Vapor

struct CreateShowRequest: Content {
    var movieId: UUID
    var screenId: UUID
    /// Cinema-local date `YYYY-MM-DD` and time `HH:mm` (`CINEMA_TIME_ZONE`).
    var showDate: String
    var showTime: String
    var language: String
    var format: String
}

struct UpdateShowRequest: Content {
    var movieId: UUID?
    var screenId: UUID?
    var showDate: String?
    var showTime: String?
    var language: String?
    var format: String?
}

struct CancelShowRequest: Content {
    var reason: String?
}

struct ShowResponse: Content {
    var id: UUID
    var movie: MovieSummary
    var screen: ScreenSummary
    var startsAt: Date
    var endsAt: Date
    var showDate: String
    var showTime: String
    var language: String
    var format: String
    var status: ShowStatus
    /// Scheduled and not yet started.
    var isOnSale: Bool
    var cancelledAt: Date?
    var cancelReason: String?
    /// Present on `GET /shows/{id}`: this show's price per seat category.
    var prices: [CategoryPrice]?

    struct MovieSummary: Content {
        var id: UUID
        var title: String
        var durationMinutes: Int
        var certificate: String?
        var posterUrl: String?
    }

    struct ScreenSummary: Content {
        var id: UUID
        var name: String
        var screenType: String
    }

    struct CategoryPrice: Content {
        var categoryId: UUID
        var name: String
        var displayOrder: Int
        /// The price now: `basePriceMinor` moved by the show's demand-pricing rules (equal to it without rules).
        var priceMinor: Int
        var basePriceMinor: Int
    }

    init(_ show: Show, movie: Movie, screen: Screen, now: Date, prices: [CategoryPrice]? = nil) throws {
        id = try show.requireID()
        self.movie = MovieSummary(
            id: try movie.requireID(), title: movie.title, durationMinutes: movie.durationMinutes,
            certificate: movie.certificate, posterUrl: movie.posterURL)
        self.screen = ScreenSummary(id: try screen.requireID(), name: screen.name, screenType: screen.screenType)
        startsAt = show.startsAt
        endsAt = show.endsAt
        showDate = show.showDate
        showTime = show.showTime
        language = show.language
        format = show.format
        status = show.status
        isOnSale = show.status == .scheduled && now < show.startsAt
        cancelledAt = show.cancelledAt
        cancelReason = show.cancelReason
        self.prices = prices
    }
}

struct SlotsResponse: Content {
    var screenId: UUID
    var date: String
    var opensAt: Date
    var closesAt: Date
    var movieId: UUID?
    /// With `movie_id`: the movie's duration plus the cleaning buffer.
    var requiredMinutes: Int?
    var slots: [Slot]

    struct Slot: Content {
        var startsAt: Date
        var endsAt: Date
        var startTime: String
        var endTime: String
        var minutes: Int
        var latestStartAt: Date?
        var latestStartTime: String?
    }
}

struct ShowPriceRequest: Content {
    var showId: UUID
    var categoryId: UUID
    var priceMinor: Int
}

struct UpdateShowPriceRequest: Content {
    var priceMinor: Int
}

struct ShowPriceResponse: Content {
    var id: UUID
    var showId: UUID
    var categoryId: UUID
    var priceMinor: Int

    init(_ price: ShowCategoryPrice) throws {
        id = try price.requireID()
        showId = price.$show.id
        categoryId = price.$category.id
        priceMinor = price.priceMinor
    }
}
