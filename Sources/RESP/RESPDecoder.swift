import NIOCore

/// An incremental RESP2 parser: decodes one complete ``RESPValue`` at a time from a byte stream that may be
/// split at any point.
///
/// It never consumes a partial value: when the readable bytes end inside a value it returns `nil` and leaves the
/// buffer untouched, so the next call starts again from the value's first byte once more bytes have arrived.
/// Re-parsing a partial array costs O(size) per read; bulk strings are checked by length before they are copied,
/// so a 1 MiB value arriving in many reads is copied once.
///
/// Use it as `ByteToMessageHandler(RESPDecoder())` in a channel pipeline, or call ``decode(buffer:)`` directly.
public struct RESPDecoder: NIOSingleStepByteToMessageDecoder {
    public typealias InboundOut = RESPValue

    /// The largest bulk string accepted; Redis itself caps strings at 512 MiB.
    public var maximumBulkLength: Int
    /// How deeply arrays may nest; a bound, so a hostile stream cannot exhaust the stack.
    public var maximumDepth: Int
    /// The longest simple-string, error or header line accepted before its `\r\n`.
    public var maximumLineLength: Int

    public init(maximumBulkLength: Int = 512 * 1024 * 1024, maximumDepth: Int = 64, maximumLineLength: Int = 1 << 20) {
        self.maximumBulkLength = maximumBulkLength
        self.maximumDepth = maximumDepth
        self.maximumLineLength = maximumLineLength
    }

    /// Decodes one value and consumes its bytes, or returns `nil` without consuming anything when the value is
    /// not complete yet. Throws ``RedisClientError/protocolError(_:)`` for bytes that are not RESP2.
    public mutating func decode(buffer: inout ByteBuffer) throws -> RESPValue? {
        var index = buffer.readerIndex
        guard let value = try value(in: buffer, at: &index, depth: 0) else { return nil }
        buffer.moveReaderIndex(to: index)
        return value
    }

    public mutating func decodeLast(buffer: inout ByteBuffer, seenEOF: Bool) throws -> RESPValue? {
        try decode(buffer: &buffer)
    }

    /// Parses the value starting at the absolute `index`; on success moves `index` past it.
    private func value(in buffer: ByteBuffer, at index: inout Int, depth: Int) throws -> RESPValue? {
        guard let type = buffer.getInteger(at: index, as: UInt8.self) else { return nil }
        var cursor = index + 1
        guard let line = try line(in: buffer, at: &cursor, isHeader: type != .plus && type != .minus) else {
            return nil
        }
        let value: RESPValue
        switch type {
        case .plus:
            value = .simpleString(buffer.getString(at: line.lowerBound, length: line.count) ?? "")
        case .minus:
            value = .error(buffer.getString(at: line.lowerBound, length: line.count) ?? "")
        case .colon:
            value = .integer(try integer(in: buffer, line))
        case .dollar:
            let length = try length(in: buffer, line, limit: maximumBulkLength, what: "bulk string")
            guard let length else {
                value = .bulkString(nil)
                break
            }
            guard buffer.writerIndex - cursor >= length + 2 else { return nil }
            guard buffer.getInteger(at: cursor + length, as: UInt16.self) == .crlf else {
                throw RedisClientError.protocolError("bulk string of \(length) bytes is not followed by CRLF")
            }
            value = .bulkString(buffer.getBytes(at: cursor, length: length) ?? [])
            cursor += length + 2
        case .star:
            guard let count = try length(in: buffer, line, limit: Int(Int32.max), what: "array") else {
                value = .array(nil)
                break
            }
            guard depth < maximumDepth else {
                throw RedisClientError.protocolError("arrays nested deeper than \(maximumDepth)")
            }
            var elements: [RESPValue] = []
            // Capped: the count comes off the wire, and a partial frame must not reserve gigabytes.
            elements.reserveCapacity(min(count, 1024))
            for _ in 0..<count {
                guard let element = try self.value(in: buffer, at: &cursor, depth: depth + 1) else { return nil }
                elements.append(element)
            }
            value = .array(elements)
        default:
            throw RedisClientError.protocolError("unknown RESP type byte 0x\(String(type, radix: 16))")
        }
        index = cursor
        return value
    }

    /// Finds the `\r\n` ending the line that starts at `cursor`; returns the line's range and moves `cursor` past
    /// the `\r\n`, or returns `nil` when the line is not complete yet.
    private func line(in buffer: ByteBuffer, at cursor: inout Int, isHeader: Bool) throws -> Range<Int>? {
        let start = cursor
        let readerIndex = buffer.readerIndex
        let carriageReturn: Int? = buffer.withUnsafeReadableBytes { bytes in
            let offset = start - readerIndex
            guard offset < bytes.count else { return nil }
            return bytes[offset...].firstIndex(of: .carriageReturn).map { $0 + readerIndex }
        }
        // Headers are a sign and at most 20 digits: a longer line means the stream is not RESP.
        let limit = isHeader ? 24 : maximumLineLength
        guard let end = carriageReturn else {
            if buffer.writerIndex - start > limit {
                throw RedisClientError.protocolError("line longer than \(limit) bytes without CRLF")
            }
            return nil
        }
        guard end - start <= limit else {
            throw RedisClientError.protocolError("line longer than \(limit) bytes")
        }
        guard let next = buffer.getInteger(at: end + 1, as: UInt8.self) else { return nil }
        guard next == .lineFeed else { throw RedisClientError.protocolError("CR not followed by LF") }
        cursor = end + 2
        return start..<end
    }

    private func integer(in buffer: ByteBuffer, _ line: Range<Int>) throws -> Int64 {
        guard let text = buffer.getString(at: line.lowerBound, length: line.count), let number = Int64(text) else {
            throw RedisClientError.protocolError("invalid integer")
        }
        return number
    }

    /// A bulk-string or array length: `nil` for `-1` (the RESP2 null), an error for other negatives or too large.
    private func length(in buffer: ByteBuffer, _ line: Range<Int>, limit: Int, what: String) throws -> Int? {
        let number = try integer(in: buffer, line)
        if number == -1 { return nil }
        guard number >= 0, number <= limit else {
            throw RedisClientError.protocolError("invalid \(what) length \(number)")
        }
        return Int(number)
    }
}

extension UInt8 {
    fileprivate static let plus = UInt8(ascii: "+")
    fileprivate static let minus = UInt8(ascii: "-")
    fileprivate static let colon = UInt8(ascii: ":")
    fileprivate static let dollar = UInt8(ascii: "$")
    fileprivate static let star = UInt8(ascii: "*")
    fileprivate static let carriageReturn = UInt8(ascii: "\r")
    fileprivate static let lineFeed = UInt8(ascii: "\n")
}

extension UInt16 {
    /// `\r\n` read as a big-endian 16-bit integer (ByteBuffer's default byte order).
    fileprivate static let crlf = UInt16(0x0D0A)
}
