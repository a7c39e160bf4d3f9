import Fluent
import Rules
import Vapor

extension ShowService {
    /// The free windows of a screen on a cinema-local date within operating hours, using the real end
    /// (start + duration + buffer) of every non-cancelled show, including one that runs in from the night before.
    /// With a movie, only windows it fits in, each with its latest possible start.
    func availableSlots(
        screenID: UUID, date: String, movieID: UUID?, operatingHours: ClosedRange<Int>, on db: any Database
    ) async throws -> SlotsResponse {
        var checks = FieldChecks()
        checks.require(time.date(date) != nil, "date", "must be a real date as YYYY-MM-DD")
        try checks.throwIfAny()
        guard try await Screen.find(screenID, on: db) != nil else { throw APIError.notFound("Screen") }
        var required: Int?
        if let movieID {
            guard let movie = try await Movie.find(movieID, on: db) else { throw APIError.notFound("Movie") }
            required = movie.durationMinutes + bufferMinutes
        }
        guard let opens = time.instant(date: date, minutes: operatingHours.lowerBound),
            let closes = time.instant(date: date, minutes: operatingHours.upperBound)
        else { throw APIError.validation(field: "date", "is outside the calendar") }

        let busy = try await Show.query(on: db)
            .filter(\.$screen.$id == screenID)
            .filter(\.$status != .cancelled)
            .filter(\.$startsAt < closes)
            .filter(\.$endsAt > opens)
            .sort(\.$startsAt)
            .all()
        let windows = FreeSlots.windows(
            opens: opens, closes: closes, now: clock.now(),
            busy: busy.map { (start: $0.startsAt, end: $0.endsAt) }, requiredMinutes: required)
        let slots = windows.map { window in
            var slot = SlotsResponse.Slot(
                startsAt: window.start, endsAt: window.end, startTime: time.localTime(window.start),
                endTime: time.localTime(window.end), minutes: window.minutes)
            if let latest = window.latestStart {
                slot.latestStartAt = latest
                slot.latestStartTime = time.localTime(latest)
            }
            return slot
        }
        return SlotsResponse(
            screenId: screenID, date: date, opensAt: opens, closesAt: closes, movieId: movieID,
            requiredMinutes: required, slots: slots)
    }
}
