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
        var fields: [String: Logger.Metadata.Value] = [
            "ts": .string(Date().ISO8601Format(.iso8601(timeZone: .gmt, includingFractionalSeconds: true))),
            "level": .string(event.level.rawValue),
            "logger": .string(label),
            "msg": .string(LogRedaction.clean("\(event.message)")),
        ]
        var all = metadata
        if let provided = metadataProvider?.get() { all.merge(provided) { $1 } }
        if let extra = event.metadata { all.merge(extra) { $1 } }
        for (key, value) in all where fields[key] == nil {
            fields[key] = LogRedaction.clean(value, key: key)
        }
        var line = ""
        Self.write(.dictionary(fields), to: &line)
        output(line)
    }

    /// One JSON value, keys sorted, written by hand: `JSONSerialization` (with its validity check) was 6 % of the
    /// server's CPU under the on-sale rush, which logs a warning per 503.
    static func write(_ value: Logger.Metadata.Value, to out: inout String) {
        switch value {
        case .string(let string): writeString(string, to: &out)
        case .stringConvertible(let convertible): writeString(convertible.description, to: &out)
        case .array(let values):
            out.append("[")
            for (index, element) in values.enumerated() {
                if index > 0 { out.append(",") }
                write(element, to: &out)
            }
            out.append("]")
        case .dictionary(let dictionary):
            out.append("{")
            for (index, key) in dictionary.keys.sorted().enumerated() {
                if index > 0 { out.append(",") }
                writeString(key, to: &out)
                out.append(":")
                write(dictionary[key]!, to: &out)
            }
            out.append("}")
        }
    }

    /// A JSON string: quotes, backslashes and control characters escaped (RFC 8259 § 7), everything else as is.
    static func writeString(_ string: String, to out: inout String) {
        out.append("\"")
        var plain = string.unicodeScalars.startIndex
        let scalars = string.unicodeScalars
        var index = plain
        while index < scalars.endIndex {
            let scalar = scalars[index]
            let escape: String?
            switch scalar {
            case "\"": escape = "\\\""
            case "\\": escape = "\\\\"
            case "\n": escape = "\\n"
            case "\r": escape = "\\r"
            case "\t": escape = "\\t"
            case _ where scalar.value < 0x20:
                let hex = String(scalar.value, radix: 16)
                escape = "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default: escape = nil
            }
            if let escape {
                out.unicodeScalars.append(contentsOf: scalars[plain..<index])
                out.append(escape)
                plain = scalars.index(after: index)
            }
            index = scalars.index(after: index)
        }
        out.unicodeScalars.append(contentsOf: scalars[plain..<scalars.endIndex])
        out.append("\"")
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
