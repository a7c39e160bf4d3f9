import Foundation

/// `HH:mm` times of day in the cinema's zone.
enum LocalTime {
    /// Minutes from midnight for `HH:mm`; `24:00` only when it closes a range.
    static func minutes(_ text: String, allowMidnightEnd: Bool = false) -> Int? {
        let parts = text.trimmingCharacters(in: .whitespaces).split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count == 2, parts[0].count == 2, parts[1].count == 2,
            let hours = Int(parts[0]), let minutes = Int(parts[1]), (0...59).contains(minutes)
        else { return nil }
        if hours == 24 && minutes == 0 && allowMidnightEnd { return 1440 }
        guard (0...23).contains(hours) else { return nil }
        return hours * 60 + minutes
    }

    static func format(_ minutes: Int) -> String {
        String(format: "%02d:%02d", minutes / 60, minutes % 60)
    }
}

/// Converts between the cinema's calendar (dates `YYYY-MM-DD`, times `HH:mm`) and UTC instants.
struct CinemaTime: Sendable {
    let timeZone: TimeZone

    private var calendar: Calendar {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        return calendar
    }

    /// Parses a real calendar date (`2026-02-30` is rejected).
    func date(_ text: String) -> DateComponents? {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0].count == 4, parts[1].count == 2, parts[2].count == 2,
            let year = Int(parts[0]), let month = Int(parts[1]), let day = Int(parts[2])
        else { return nil }
        let components = DateComponents(year: year, month: month, day: day)
        guard let instant = calendar.date(from: components) else { return nil }
        let back = calendar.dateComponents([.year, .month, .day], from: instant)
        return back.year == year && back.month == month && back.day == day ? components : nil
    }

    /// The instant of `minutes` after local midnight of `date` (1440 is the next midnight).
    func instant(date: String, minutes: Int) -> Date? {
        guard let day = self.date(date), let midnight = calendar.date(from: day) else { return nil }
        return calendar.date(byAdding: .minute, value: minutes, to: midnight)
    }

    func localDate(_ instant: Date) -> String {
        let c = calendar.dateComponents([.year, .month, .day], from: instant)
        return String(format: "%04d-%02d-%02d", c.year ?? 0, c.month ?? 0, c.day ?? 0)
    }

    func localTime(_ instant: Date) -> String {
        let c = calendar.dateComponents([.hour, .minute], from: instant)
        return LocalTime.format((c.hour ?? 0) * 60 + (c.minute ?? 0))
    }
}
