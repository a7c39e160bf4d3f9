import Fluent
import SQLKit
import Vapor

/// Scheduling: shows occupy their screen from start to start + duration + cleaning buffer, never overlapping.
struct ShowService: Sendable {
    let clock: any AppClock
    let time: CinemaTime
    let bufferMinutes: Int

    /// Cancels the bookings of a cancelled show (refunds, notifications); nil where only scheduling is needed.
    var cancellations: CancellationService?

    init(config: AppConfig, clock: any AppClock, cancellations: CancellationService? = nil) {
        self.clock = clock
        self.cancellations = cancellations
        self.time = CinemaTime(timeZone: config.cinemaTimeZone)
        self.bufferMinutes = config.showCleaningBufferMinutes
    }

    func create(_ request: CreateShowRequest, on db: any Database) async throws -> Show {
        let show = Show()
        show.status = .scheduled
        try await schedule(
            show, movieID: request.movieId, screenID: request.screenId, date: request.showDate,
            time: request.showTime, language: request.language, format: request.format, on: db)
        return show
    }

    /// Changes a show that is neither cancelled nor booked; the overlap rule is checked again.
    func update(_ id: UUID, _ request: UpdateShowRequest, on db: any Database) async throws -> Show {
        let show = try await requireShow(id, on: db)
        guard show.status == .scheduled else {
            throw APIError.conflict(.showCancelled, "A cancelled show cannot be changed.")
        }
        guard try await BookedSeats.count(showID: id, on: db) == 0 else {
            throw APIError.conflict(
                .showHasBookings, "This show has bookings; cancel it and schedule a new one instead.")
        }
        try await schedule(
            show, movieID: request.movieId ?? show.$movie.id, screenID: request.screenId ?? show.$screen.id,
            date: request.showDate ?? show.showDate, time: request.showTime ?? show.showTime,
            language: request.language ?? show.language, format: request.format ?? show.format, on: db)
        return show
    }

    /// Marks the show cancelled, then cancels its pending and confirmed bookings with full refunds.
    /// A second call changes nothing (and finishes a cascade an earlier call could not complete).
    func cancel(_ id: UUID, reason: String?, by adminID: UUID?, on db: any Database) async throws -> Show {
        let show = try await requireShow(id, on: db)
        if show.status != .cancelled {
            show.status = .cancelled
            show.cancelledAt = clock.now()
            show.cancelReason = reason?.trimmed.isEmpty == false ? reason?.trimmed : "Cancelled by the cinema"
            try await show.save(on: db)
        }
        try await cancellations?.cancelAll(
            ofShow: id, reason: show.cancelReason ?? "Cancelled by the cinema", by: adminID, on: db)
        return show
    }

    func requireShow(_ id: UUID, on db: any Database) async throws -> Show {
        guard let show = try await Show.find(id, on: db) else { throw APIError.notFound("Show") }
        return show
    }

    /// Validates and saves a new or changed show. The screen row is written first inside the transaction,
    /// which serialises scheduling per screen on PostgreSQL (row lock) and SQLite (write lock), so two
    /// admins cannot both slip an overlapping show in.
    private func schedule(
        _ show: Show, movieID: UUID, screenID: UUID, date: String, time localTime: String,
        language: String, format: String, on db: any Database
    ) async throws {
        var checks = FieldChecks()
        let minutes = LocalTime.minutes(localTime)
        checks.require(self.time.date(date) != nil, "show_date", "must be a real date as YYYY-MM-DD")
        checks.require(minutes != nil, "show_time", "must be a time as HH:mm")
        checks.text(language, "language", max: 40)
        checks.text(format, "format", max: 20)
        let movie = try await Movie.find(movieID, on: db)
        let screen = try await Screen.find(screenID, on: db)
        checks.require(movie != nil, "movie_id", "does not name a movie")
        checks.require(screen != nil, "screen_id", "does not name a screen")
        if let movie {
            checks.require(Self.offers(movie.languages, language), "language", "is not one of the movie's languages")
            checks.require(Self.offers(movie.formats, format), "format", "is not one of the movie's formats")
        }
        let start = minutes.flatMap { self.time.instant(date: date, minutes: $0) }
        if let start { checks.require(start > clock.now(), "show_time", "must be in the future") }
        try checks.throwIfAny()
        guard let movie, let screen, let start else { throw APIError.internalError }
        guard movie.isActive else { throw APIError.conflict(.movieInactive, "The movie is not active.") }
        guard screen.isAvailable else { throw APIError.conflict(.screenUnavailable, "The screen is not available.") }

        let screenChanged = show.id != nil && show.$screen.id != screenID
        show.$movie.id = movieID
        show.$screen.id = screenID
        show.showDate = date
        show.showTime = LocalTime.format(minutes ?? 0)
        show.language = language.trimmed
        show.format = format.trimmed
        show.startsAt = start
        show.endsAt = start.addingTimeInterval(TimeInterval((movie.durationMinutes + bufferMinutes) * 60))
        let isNew = show.id == nil
        try await db.writeTransaction { tx in
            try await Screen.lock(screenID, at: clock.now(), on: tx)
            if let clash = try await overlapping(show, on: tx) {
                throw APIError.conflict(
                    .showOverlap,
                    "The screen is busy from \(self.time.localTime(clash.startsAt)) to \(self.time.localTime(clash.endsAt)) "
                        + "(show \(clash.id?.uuidString ?? "")) on \(clash.showDate).")
            }
            try await show.save(on: tx)
            if isNew || screenChanged { try await resetPrices(of: show, screenID: screenID, on: tx) }
        }
    }

    private static func offers(_ list: [String], _ value: String) -> Bool {
        list.isEmpty || list.contains { $0.caseInsensitiveCompare(value.trimmed) == .orderedSame }
    }

    /// A non-cancelled show on the same screen whose occupied time intersects this one's.
    private func overlapping(_ show: Show, on db: any Database) async throws -> Show? {
        let query = Show.query(on: db)
            .filter(\.$screen.$id == show.$screen.id)
            .filter(\.$status != .cancelled)
            .filter(\.$startsAt < show.endsAt)
            .filter(\.$endsAt > show.startsAt)
        if let id = show.id { query.filter(\.$id != id) }
        return try await query.sort(\.$startsAt).first()
    }

    /// Every category of the screen gets its base price, so a new show is sellable at once.
    private func resetPrices(of show: Show, screenID: UUID, on db: any Database) async throws {
        let showID = try show.requireID()
        try await ShowCategoryPrice.query(on: db).filter(\.$show.$id == showID).delete()
        let categories = try await SeatCategory.query(on: db).filter(\.$screen.$id == screenID).all()
        let prices = try categories.map {
            ShowCategoryPrice(showID: showID, categoryID: try $0.requireID(), priceMinor: $0.basePriceMinor)
        }
        if !prices.isEmpty { try await prices.create(on: db) }
    }
}
