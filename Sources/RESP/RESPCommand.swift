import NIOCore

/// One Redis command: its name and arguments, each sent as a binary-safe bulk string.
///
/// Redis accepts every command as an array of bulk strings (`*3\r\n$3\r\nSET\r\n…`), so numbers are sent as
/// their decimal text, which is what the server parses anyway.
public struct RESPCommand: Sendable, Hashable, CustomStringConvertible {
    /// The command name followed by its arguments, as raw bytes.
    public var arguments: [[UInt8]]

    /// A command from text arguments, e.g. `RESPCommand(["SET", "key", "value"])`.
    public init(_ arguments: [String]) {
        self.arguments = arguments.map { Array($0.utf8) }
    }

    /// A command from raw byte arguments, for binary keys or values.
    public init(bytes arguments: [[UInt8]]) {
        self.arguments = arguments
    }

    /// The command name, upper-cased, for errors and logs (never the arguments, which may hold secrets).
    public var name: String {
        arguments.first.map { String(decoding: $0, as: UTF8.self).uppercased() } ?? ""
    }

    public var description: String { name }

    /// Appends the command in RESP2 wire format: an array of bulk strings.
    public func encode(into buffer: inout ByteBuffer) {
        buffer.writeRESPHeader(UInt8(ascii: "*"), arguments.count)
        for argument in arguments {
            buffer.writeRESPHeader(UInt8(ascii: "$"), argument.count)
            buffer.writeBytes(argument)
            buffer.writeCRLF()
        }
    }

    /// The number of bytes ``encode(into:)`` writes, so a buffer is allocated once.
    var encodedLength: Int {
        arguments.reduce(16) { $0 + $1.count + 16 }
    }
}

extension RESPValue {
    /// Appends the value in RESP2 wire format. Clients only send commands; this is for
    /// tests and for stand-in servers.
    public func encode(into buffer: inout ByteBuffer) {
        switch self {
        case .simpleString(let text):
            buffer.writeInteger(UInt8(ascii: "+"))
            buffer.writeString(text)
            buffer.writeCRLF()
        case .error(let message):
            buffer.writeInteger(UInt8(ascii: "-"))
            buffer.writeString(message)
            buffer.writeCRLF()
        case .integer(let number):
            buffer.writeInteger(UInt8(ascii: ":"))
            buffer.writeString(String(number))
            buffer.writeCRLF()
        case .bulkString(nil):
            buffer.writeRESPHeader(UInt8(ascii: "$"), -1)
        case .bulkString(let bytes?):
            buffer.writeRESPHeader(UInt8(ascii: "$"), bytes.count)
            buffer.writeBytes(bytes)
            buffer.writeCRLF()
        case .array(nil):
            buffer.writeRESPHeader(UInt8(ascii: "*"), -1)
        case .array(let elements?):
            buffer.writeRESPHeader(UInt8(ascii: "*"), elements.count)
            for element in elements { element.encode(into: &buffer) }
        }
    }
}

extension ByteBuffer {
    /// `*3\r\n`, `$5\r\n`, `$-1\r\n`.
    fileprivate mutating func writeRESPHeader(_ type: UInt8, _ count: Int) {
        writeInteger(type)
        writeString(String(count))
        writeCRLF()
    }

    fileprivate mutating func writeCRLF() {
        writeInteger(UInt16(0x0D0A), endianness: .big)
    }
}
