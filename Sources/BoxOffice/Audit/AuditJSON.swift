import Foundation

/// Any JSON value: what an audit summary holds (parts of API responses), kept as data rather than `Any` so it is
/// `Sendable`, comparable and encodes back exactly as it was read.
indirect enum AuditJSON: Codable, Equatable, Sendable {
    case null
    case bool(Bool)
    case int(Int)
    case double(Double)
    case string(String)
    case array([AuditJSON])
    case object([String: AuditJSON])

    init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if container.decodeNil() {
            self = .null
        } else if let value = try? container.decode(Bool.self) {
            self = .bool(value)
        } else if let value = try? container.decode(Int.self) {
            self = .int(value)
        } else if let value = try? container.decode(Double.self) {
            self = .double(value)
        } else if let value = try? container.decode(String.self) {
            self = .string(value)
        } else if let value = try? container.decode([AuditJSON].self) {
            self = .array(value)
        } else {
            self = .object(try container.decode([String: AuditJSON].self))
        }
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .null: try container.encodeNil()
        case .bool(let value): try container.encode(value)
        case .int(let value): try container.encode(value)
        case .double(let value): try container.encode(value)
        case .string(let value): try container.encode(value)
        case .array(let value): try container.encode(value)
        case .object(let value): try container.encode(value)
        }
    }

    /// Parses a response body; nil for an empty or non-JSON body (a 204, a file).
    static func parse(_ data: Data?) -> AuditJSON? {
        guard let data, !data.isEmpty else { return nil }
        return try? JSONDecoder().decode(AuditJSON.self, from: data)
    }

    subscript(key: String) -> AuditJSON? {
        guard case .object(let object) = self else { return nil }
        return object[key]
    }

    var string: String? {
        guard case .string(let value) = self else { return nil }
        return value
    }

    /// Compact JSON with sorted keys, so equal values always store the same text.
    var encoded: String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        guard let data = try? encoder.encode(self) else { return "null" }
        return String(decoding: data, as: UTF8.self)
    }
}
