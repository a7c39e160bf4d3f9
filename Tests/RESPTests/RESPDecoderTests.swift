import NIOCore
import NIOEmbedded
import Testing

@testable import RESP

/// Decodes every complete value in `bytes`, as one read.
private func decodeAll(_ bytes: String) throws -> [RESPValue] {
    var decoder = RESPDecoder()
    var buffer = ByteBuffer(string: bytes)
    var values: [RESPValue] = []
    while let value = try decoder.decode(buffer: &buffer) { values.append(value) }
    #expect(buffer.readableBytes == 0, "bytes left over")
    return values
}

@Suite struct RESPDecoderTests {
    @Test(arguments: [
        ("+OK\r\n", RESPValue.simpleString("OK")),
        ("-ERR unknown command 'FOO'\r\n", .error("ERR unknown command 'FOO'")),
        (":0\r\n", .integer(0)),
        (":-42\r\n", .integer(-42)),
        (":9223372036854775807\r\n", .integer(.max)),
        ("$5\r\nhello\r\n", .bulk("hello")),
        ("$0\r\n\r\n", .bulkString([])),
        ("$-1\r\n", .bulkString(nil)),
        ("*0\r\n", .array([])),
        ("*-1\r\n", .array(nil)),
        ("+\r\n", .simpleString("")),
    ])
    func decodesEachType(wire: String, expected: RESPValue) throws {
        #expect(try decodeAll(wire) == [expected])
    }

    @Test func bulkStringsAreBinarySafe() throws {
        #expect(try decodeAll("$6\r\na\r\nb\0c\r\n") == [.bulkString(Array("a\r\nb\0c".utf8))])
    }

    @Test func decodesNestedArraysWithEveryType() throws {
        let wire = "*4\r\n:1\r\n*2\r\n$3\r\nfoo\r\n*1\r\n-ERR inner\r\n$-1\r\n*-1\r\n"
        let expected = RESPValue.array([
            .integer(1), .array([.bulk("foo"), .array([.error("ERR inner")])]), .bulkString(nil), .array(nil),
        ])
        #expect(try decodeAll(wire) == [expected])
    }

    @Test func decodesSeveralValuesFromOneRead() throws {
        #expect(try decodeAll("+OK\r\n:1\r\n$-1\r\n") == [.simpleString("OK"), .integer(1), .null])
    }

    /// Splitting at every byte boundary: nothing is produced or consumed until the value is complete.
    @Test func partialFramesAtEverySplitPoint() throws {
        let wire = Array("*3\r\n$5\r\nhello\r\n*2\r\n:-7\r\n+OK\r\n-ERR x\r\n".utf8)
        let expected = RESPValue.array([.bulk("hello"), .array([.integer(-7), .simpleString("OK")]), .error("ERR x")])
        for split in 1..<wire.count {
            var decoder = RESPDecoder()
            var buffer = ByteBuffer(bytes: wire[..<split])
            #expect(try decoder.decode(buffer: &buffer) == nil, "split at \(split)")
            #expect(buffer.readableBytes == split, "a partial value must not be consumed")
            buffer.writeBytes(wire[split...])
            #expect(try decoder.decode(buffer: &buffer) == expected, "split at \(split)")
            #expect(buffer.readableBytes == 0)
        }
    }

    /// Through a real channel pipeline, one byte per read.
    @Test func byteByByteThroughAChannel() throws {
        let channel = EmbeddedChannel(handler: ByteToMessageHandler(RESPDecoder()))
        defer { _ = try? channel.finish() }
        let wire = Array("+PONG\r\n*2\r\n$7\r\nmessage\r\n$-1\r\n:5\r\n".utf8)
        var received: [RESPValue] = []
        for byte in wire {
            try channel.writeInbound(ByteBuffer(bytes: [byte]))
            while let value = try channel.readInbound(as: RESPValue.self) { received.append(value) }
        }
        #expect(received == [.simpleString("PONG"), .array([.bulk("message"), .null]), .integer(5)])
    }

    @Test func oneMebibyteBulkStringInChunks() throws {
        let payload = (0..<(1 << 20)).map { UInt8(truncatingIfNeeded: $0 &* 31) }
        var wire = ByteBuffer()
        RESPValue.bulkString(payload).encode(into: &wire)
        let channel = EmbeddedChannel(handler: ByteToMessageHandler(RESPDecoder()))
        defer { _ = try? channel.finish() }
        while let chunk = wire.readSlice(length: min(65_536, wire.readableBytes)), chunk.readableBytes > 0 {
            #expect(try channel.readInbound(as: RESPValue.self) == nil)
            try channel.writeInbound(chunk)
        }
        #expect(try channel.readInbound(as: RESPValue.self) == .bulkString(payload))
    }

    @Test(arguments: [
        "?what\r\n",  // unknown type byte
        ":12a\r\n",  // not an integer
        "$-2\r\n",  // negative length other than -1
        "*-5\r\n",
        "$3\r\nabcde\r\n",  // bulk string longer than announced
        "+OK\rX",  // CR without LF
        ":123456789012345678901234567890",  // a header with no end
    ])
    func rejectsMalformedInput(wire: String) {
        var decoder = RESPDecoder()
        var buffer = ByteBuffer(string: wire)
        #expect(throws: RedisClientError.self) { try decoder.decode(buffer: &buffer) }
    }

    @Test func rejectsArraysNestedTooDeep() {
        var decoder = RESPDecoder(maximumDepth: 3)
        var buffer = ByteBuffer(string: String(repeating: "*1\r\n", count: 5) + ":1\r\n")
        #expect(throws: RedisClientError.self) { try decoder.decode(buffer: &buffer) }
    }

    @Test func rejectsBulkStringsOverTheLimit() {
        var decoder = RESPDecoder(maximumBulkLength: 10)
        var buffer = ByteBuffer(string: "$11\r\n")
        #expect(throws: RedisClientError.self) { try decoder.decode(buffer: &buffer) }
    }
}
