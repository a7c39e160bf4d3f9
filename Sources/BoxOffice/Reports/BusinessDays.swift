import Foundation

/// Consecutive business days of the cinema, each with the UTC instant it starts.
///
/// A business day runs from local midnight in `CINEMA_TIME_ZONE` to the next local midnight, so a day with a DST
/// change is 23 or 25 hours long. Every bound is computed here and passed to SQL as an instant: both databases then
/// bucket by plain comparisons, without knowing the zone.
struct BusinessDays: Sendable {
    struct Day: Sendable {
        /// The local date, `YYYY-MM-DD`.
        let date: String
        let start: Date
        /// The start of the next day.
        let end: Date
    }

    let days: [Day]

    var start: Date { days[0].start }
    var end: Date { days[days.count - 1].end }
    var first: String { days[0].date }
    var last: String { days[days.count - 1].date }

    /// `count` (at least 1) days from the local date `first`, which must be a real date.
    init(from first: String, count: Int, time: CinemaTime) throws {
        let dates = ReportCalendar.dates(from: first, count: count + 1)
        var days: [Day] = []
        for (date, next) in zip(dates, dates.dropFirst()) {
            guard let start = time.instant(date: date, minutes: 0), let end = time.instant(date: next, minutes: 0)
            else { throw APIError.validation(field: "date", "is not a date of the cinema's calendar") }
            days.append(Day(date: date, start: start, end: end))
        }
        self.days = days
    }
}

/// Date arithmetic on local dates (`YYYY-MM-DD`) alone: no time zone takes part, so no DST can shift a date.
enum ReportCalendar {
    /// Years a report may ask about, as `QueryDate` allows for instants.
    static let years = 2000...2199

    private static let calendar: Calendar = {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = .gmt
        return calendar
    }()

    private static func day(_ date: String) -> Date? {
        guard let parts = CinemaTime(timeZone: .gmt).date(date) else { return nil }
        return calendar.date(from: parts)
    }

    /// Days from `from` to `to`, both counted (0 or less when `to` is before `from`).
    static func span(from: String, to: String) -> Int? {
        guard let start = day(from), let end = day(to),
            let days = calendar.dateComponents([.day], from: start, to: end).day
        else { return nil }
        return days + 1
    }

    /// `count` consecutive dates starting with `first`.
    static func dates(from first: String, count: Int) -> [String] {
        guard let start = day(first) else { return [] }
        return (0..<count).compactMap { offset in
            calendar.date(byAdding: .day, value: offset, to: start).map { CinemaTime(timeZone: .gmt).localDate($0) }
        }
    }

    /// The days of the month `YYYY-MM`: its first date and how many days it has.
    static func month(_ text: String) -> (first: String, days: Int)? {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 2, parts[0].count == 4, parts[1].count == 2, let year = Int(parts[0]),
            let month = Int(parts[1]), years.contains(year), (1...12).contains(month)
        else { return nil }
        let first = String(format: "%04d-%02d-01", year, month)
        guard let start = day(first), let days = calendar.range(of: .day, in: .month, for: start)?.count else {
            return nil
        }
        return (first, days)
    }

    /// Whether a valid date lies in the years reports cover.
    static func inRange(_ date: String) -> Bool {
        Int(date.prefix(4)).map { years.contains($0) } ?? false
    }
}
