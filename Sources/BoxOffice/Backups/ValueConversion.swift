import Foundation
import SQLKit

/// Turns a value read from either database into what the target column takes. SQLite keeps UUIDs as upper-case
/// text, times as REAL seconds since 1970, booleans as 0/1 and arrays as JSON text; PostgreSQL's `row_to_json`
/// gives lower-case UUIDs, ISO 8601 times, true/false and JSON arrays.
enum ValueConversion {
    /// A JSON value `json_populate_recordset` reads into a column of PostgreSQL type `type`.
    static func forPostgres(_ value: AuditJSON, type: String) -> AuditJSON {
        switch (type.lowercased(), value) {
        case ("boolean", .int(let number)): return .bool(number != 0)
        case (let type, .double(let seconds)) where type.hasPrefix("timestamp"): return .string(iso8601(seconds))
        case (let type, .int(let seconds)) where type.hasPrefix("timestamp"): return .string(iso8601(Double(seconds)))
        case ("array", .string(let text)), ("json", .string(let text)), ("jsonb", .string(let text)):
            return AuditJSON.parse(Data(text.utf8)) ?? value
        case ("bigint", .double(let number)), ("integer", .double(let number)), ("smallint", .double(let number)):
            return number.rounded() == number ? .int(Int(number)) : value
        case ("bigint", .bool(let flag)), ("integer", .bool(let flag)), ("smallint", .bool(let flag)):
            return .int(flag ? 1 : 0)
        case ("text", .array), ("text", .object), ("character varying", .array), ("character varying", .object):
            return .string(value.encoded)
        default: return value
        }
    }

    /// A value bound into a SQLite column declared `type`.
    static func forSQLite(_ value: AuditJSON, type: String) -> any SQLExpression {
        let declared = type.uppercased()
        switch value {
        case .null:
            return SQLLiteral.null
        case .bool(let flag):
            return SQLBind(flag ? 1 : 0)
        case .int(let number):
            return ["REAL", "DOUBLE", "FLOAT"].contains(declared) ? SQLBind(Double(number)) : SQLBind(number)
        case .double(let number):
            if declared == "INTEGER", number.rounded() == number, abs(number) < 9e15 { return SQLBind(Int(number)) }
            return SQLBind(number)
        case .string(let text):
            if declared == "UUID", let uuid = UUID(uuidString: text) { return SQLBind(uuid.uuidString) }
            if ["REAL", "DOUBLE", "FLOAT"].contains(declared), let date = parseISO8601(text) {
                return SQLBind(date.timeIntervalSince1970)
            }
            if declared == "INTEGER", text == "true" || text == "false" { return SQLBind(text == "true" ? 1 : 0) }
            return SQLBind(text)
        case .array, .object:
            return SQLBind(value.encoded)
        }
    }

    /// `2026-11-18T10:00:00.123456+00:00`: microseconds, which is what PostgreSQL keeps.
    static func iso8601(_ seconds: Double) -> String {
        var whole = seconds.rounded(.down)
        var micros = Int(((seconds - whole) * 1_000_000).rounded())
        if micros >= 1_000_000 {
            whole += 1
            micros -= 1_000_000
        }
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        let parts = calendar.dateComponents(
            [.year, .month, .day, .hour, .minute, .second], from: Date(timeIntervalSince1970: whole))
        return String(
            format: "%04d-%02d-%02dT%02d:%02d:%02d.%06d+00:00", parts.year ?? 0, parts.month ?? 0, parts.day ?? 0,
            parts.hour ?? 0, parts.minute ?? 0, parts.second ?? 0, micros)
    }

    /// Reads `YYYY-MM-DDTHH:MM:SS[.fraction](Z|±HH[:MM])` (a space instead of `T` too); nil for anything else,
    /// including a plain date.
    static func parseISO8601(_ text: String) -> Date? {
        let chars = Array(text.utf8)
        guard chars.count >= 19, chars[4] == UInt8(ascii: "-"), chars[7] == UInt8(ascii: "-"),
            chars[10] == UInt8(ascii: "T") || chars[10] == UInt8(ascii: " "), chars[13] == UInt8(ascii: ":"),
            chars[16] == UInt8(ascii: ":")
        else { return nil }
        func number(_ from: Int, _ to: Int) -> Int? { Int(String(decoding: chars[from..<to], as: UTF8.self)) }
        guard let year = number(0, 4), let month = number(5, 7), let day = number(8, 10), let hour = number(11, 13),
            let minute = number(14, 16), let second = number(17, 19)
        else { return nil }
        var index = 19
        var fraction = 0.0
        if index < chars.count, chars[index] == UInt8(ascii: ".") {
            let start = index + 1
            index = start
            while index < chars.count, chars[index] >= UInt8(ascii: "0"), chars[index] <= UInt8(ascii: "9") {
                index += 1
            }
            guard index > start, let digits = Double("0." + String(decoding: chars[start..<index], as: UTF8.self))
            else { return nil }
            fraction = digits
        }
        var offset = 0
        if index < chars.count {
            let sign = chars[index]
            if sign == UInt8(ascii: "Z") {
                index += 1
            } else if sign == UInt8(ascii: "+") || sign == UInt8(ascii: "-") {
                let rest = String(decoding: chars[(index + 1)...], as: UTF8.self).replacingOccurrences(
                    of: ":", with: "")
                // `+05`, `+0530` or `+05:30`.
                guard rest.count == 2 || rest.count == 4, let hours = Int(rest.prefix(2)),
                    let minutes = rest.count == 4 ? Int(rest.suffix(2)) : 0
                else { return nil }
                offset = (hours * 3600 + minutes * 60) * (sign == UInt8(ascii: "-") ? -1 : 1)
                index = chars.count
            } else {
                return nil
            }
        }
        guard index == chars.count else { return nil }
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        guard
            let base = calendar.date(
                from: DateComponents(year: year, month: month, day: day, hour: hour, minute: minute, second: second))
        else { return nil }
        return Date(timeIntervalSince1970: base.timeIntervalSince1970 + fraction - Double(offset))
    }
}
