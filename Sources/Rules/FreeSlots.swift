import Foundation

/// The free windows of a screen in a day: between opening and closing, not before now, around the busy spans
/// (each show's start to its end plus cleaning), and with a required length only the windows it fits in.
public enum FreeSlots {
    public struct Window: Sendable, Equatable {
        public var start: Date
        public var end: Date
        /// With a required length: the latest start that still fits.
        public var latestStart: Date?

        public var minutes: Int { Int(end.timeIntervalSince(start) / 60) }
    }

    public static func windows(
        opens: Date, closes: Date, now: Date, busy: [(start: Date, end: Date)],
        requiredMinutes: Int? = nil
    ) -> [Window] {
        var windows: [Window] = []
        // A window that has already begun today starts now.
        var cursor = max(opens, now)
        for span in busy.sorted(by: { $0.start < $1.start }) {
            if span.start > cursor { windows.append(Window(start: cursor, end: min(span.start, closes))) }
            cursor = max(cursor, span.end)
        }
        if cursor < closes { windows.append(Window(start: cursor, end: closes)) }
        return windows.compactMap { window in
            guard window.minutes > 0 else { return nil }
            guard let required = requiredMinutes else { return window }
            guard window.minutes >= required else { return nil }
            var fitted = window
            fitted.latestStart = window.end.addingTimeInterval(-TimeInterval(required * 60))
            return fitted
        }
    }
}
