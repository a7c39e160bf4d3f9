/// A RESP2 value as Redis sends it.
///
/// RESP2 has two distinct nulls, `$-1` (``bulkString(_:)`` with `nil`) and `*-1` (``array(_:)`` with `nil`);
/// both are kept so a value can be re-encoded byte for byte. ``isNull`` treats them alike.
public enum RESPValue: Sendable, Hashable {
    /// `+OK\r\n`: a short status line.
    case simpleString(String)
    /// `-ERR message\r\n`: a server error. ``RedisCommandExecutor/send(_:timeout:)`` throws it as a ``RESPError``;
    /// ``RedisCommandExecutor/pipeline(_:timeout:)`` returns it in place, so one failing command does not hide
    /// the replies of the others.
    case error(String)
    /// `:42\r\n`
    case integer(Int64)
    /// `$3\r\nfoo\r\n`, binary safe; `nil` is the null bulk string `$-1\r\n`.
    case bulkString([UInt8]?)
    /// `*2\r\n…`; `nil` is the null array `*-1\r\n` (for example `BLPOP` timing out).
    case array([RESPValue]?)
}

extension RESPValue {
    /// The null bulk string, which `GET` returns for a missing key.
    public static let null = RESPValue.bulkString(nil)

    /// A bulk string holding the UTF-8 bytes of `string`.
    public static func bulk(_ string: String) -> RESPValue { .bulkString(Array(string.utf8)) }

    /// `true` for the null bulk string and the null array.
    public var isNull: Bool {
        switch self {
        case .bulkString(nil), .array(nil): true
        default: false
        }
    }

    /// The text of a simple or bulk string (bulk bytes decoded as UTF-8, invalid sequences repaired),
    /// or the decimal text of an integer; `nil` for nulls, errors and arrays.
    public var string: String? {
        switch self {
        case .simpleString(let text): text
        case .bulkString(let bytes?): String(decoding: bytes, as: UTF8.self)
        case .integer(let number): String(number)
        default: nil
        }
    }

    /// The raw bytes of a bulk string, or the UTF-8 bytes of a simple string.
    public var bytes: [UInt8]? {
        switch self {
        case .bulkString(let bytes?): bytes
        case .simpleString(let text): Array(text.utf8)
        default: nil
        }
    }

    /// An integer reply, or a simple or bulk string that holds a decimal integer
    /// (`GET` of a counter set by `INCR` comes back as a bulk string).
    public var int: Int? {
        switch self {
        case .integer(let number): Int(exactly: number)
        case .simpleString, .bulkString: string.flatMap { Int($0) }
        default: nil
        }
    }

    /// The elements of a non-null array.
    public var array: [RESPValue]? {
        if case .array(let elements?) = self { return elements }
        return nil
    }

    /// The message of an error reply.
    public var errorMessage: String? {
        if case .error(let message) = self { return message }
        return nil
    }
}

extension RESPValue: ExpressibleByStringLiteral, ExpressibleByIntegerLiteral {
    /// A string literal is a bulk string, as in replies to `GET`.
    public init(stringLiteral value: String) { self = .bulk(value) }
    public init(integerLiteral value: Int64) { self = .integer(value) }
}

extension RESPValue: CustomStringConvertible {
    /// A short, readable rendering for logs and test failures; long bulk strings are cut.
    public var description: String {
        switch self {
        case .simpleString(let text): return "+\(text)"
        case .error(let message): return "-\(message)"
        case .integer(let number): return ":\(number)"
        case .bulkString(nil), .array(nil): return "(nil)"
        case .bulkString(let bytes?):
            let text = String(decoding: bytes.prefix(64), as: UTF8.self)
            return bytes.count > 64 ? "\"\(text)…\" (\(bytes.count) bytes)" : "\"\(text)\""
        case .array(let elements?):
            return "[" + elements.map(\.description).joined(separator: ", ") + "]"
        }
    }
}
