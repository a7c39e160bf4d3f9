import Foundation
import Logging
import NIOConcurrencyHelpers

/// One JSON object per line on standard output: what production log collectors read. Used by `main` in the
/// production environment (development keeps Vapor's readable console lines). Every value passes `LogRedaction`
/// first, so no secret or whole email reaches the collector, whoever logged it.
public struct JSONLogHandler: LogHandler {
    public var logLevel: Logger.Level
    public var metadata: Logger.Metadata = [:]
    public var metadataProvider: Logger.MetadataProvider?
    private let label: String
    private let output: @Sendable (String) -> Void

    public init(label: String, level: Logger.Level = .info, output: @escaping @Sendable (String) -> Void = Self.stdout)
    {
        self.label = label
        self.logLevel = level
        self.output = output
    }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    public func log(event: LogEvent) {
        var fields: [String: Any] = [
            "ts": Date().ISO8601Format(.iso8601(timeZone: .gmt, includingFractionalSeconds: true)),
            "level": event.level.rawValue,
            "logger": label,
            "msg": LogRedaction.clean("\(event.message)"),
        ]
        var all = metadata
        if let provided = metadataProvider?.get() { all.merge(provided) { $1 } }
        if let extra = event.metadata { all.merge(extra) { $1 } }
        for (key, value) in all where fields[key] == nil {
            fields[key] = Self.json(LogRedaction.clean(value, key: key))
        }
        guard JSONSerialization.isValidJSONObject(fields),
            let data = try? JSONSerialization.data(withJSONObject: fields, options: [.sortedKeys])
        else { return }
        output(String(decoding: data, as: UTF8.self))
    }

    private static func json(_ value: Logger.Metadata.Value) -> Any {
        switch value {
        case .string(let string): return string
        case .stringConvertible(let convertible): return convertible.description
        case .array(let values): return values.map(json)
        case .dictionary(let dictionary): return dictionary.mapValues(json)
        }
    }

    private static let lock = NIOLock()

    /// Whole lines, never interleaved.
    public static let stdout: @Sendable (String) -> Void = { line in
        lock.withLock { FileHandle.standardOutput.write(Data((line + "\n").utf8)) }
    }
}

extension String {
    /// `asha@example.com` → `a***@example.com`: enough to tell accounts apart in a log, not enough to mail anyone.
    var maskedEmail: String {
        guard let at = firstIndex(of: "@"), at > startIndex else { return "***" }
        return String(self[startIndex]) + "***" + String(self[at...])
    }
}
