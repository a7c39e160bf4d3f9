import Fluent
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
        var windows: [(Date, Date)] = []
        // A window that has already begun today starts now.
        var cursor = max(opens, clock.now())
        for show in busy {
            if show.startsAt > cursor { windows.append((cursor, min(show.startsAt, closes))) }
            cursor = max(cursor, show.endsAt)
        }
        if cursor < closes { windows.append((cursor, closes)) }

        let slots = windows.compactMap { start, end -> SlotsResponse.Slot? in
            let minutes = Int(end.timeIntervalSince(start) / 60)
            guard minutes > 0 else { return nil }
            var slot = SlotsResponse.Slot(startsAt: start, endsAt: end, startTime: time.localTime(start),
                endTime: time.localTime(end), minutes: minutes)
            if let required {
                guard minutes >= required else { return nil }
                let latest = end.addingTimeInterval(-TimeInterval(required * 60))
                slot.latestStartAt = latest
                slot.latestStartTime = time.localTime(latest)
            }
            return slot
        }
        return SlotsResponse(screenId: screenID, date: date, opensAt: opens, closesAt: closes, movieId: movieID,
            requiredMinutes: required, slots: slots)
    }
}
