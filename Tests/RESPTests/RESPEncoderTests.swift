import NIOCore
import Testing

@testable import RESP

private func wire(_ command: RESPCommand) -> String {
    var buffer = ByteBuffer()
    command.encode(into: &buffer)
    return String(buffer: buffer)
}

@Suite struct RESPEncoderTests {
    @Test func encodesACommandAsAnArrayOfBulkStrings() {
        #expect(
            wire(RESPCommand(["SET", "seat:1", "user-7"])) == "*3\r\n$3\r\nSET\r\n$6\r\nseat:1\r\n$6\r\nuser-7\r\n")
    }

    @Test func countsBytesNotCharacters() {
        // "é" is two bytes in UTF-8, "🎬" four.
        #expect(wire(RESPCommand(["ECHO", "é🎬"])) == "*2\r\n$4\r\nECHO\r\n$6\r\né🎬\r\n")
    }

    @Test func encodesEmptyAndBinaryArguments() {
        var buffer = ByteBuffer()
        RESPCommand(bytes: [Array("SET".utf8), [], [0, 13, 10, 255]]).encode(into: &buffer)
        #expect(
            Array(buffer.readableBytesView) == Array("*3\r\n$3\r\nSET\r\n$0\r\n\r\n$4\r\n".utf8) + [
                0, 13, 10, 255, 13, 10,
            ])
    }

    @Test func encodesACommandWithoutArguments() {
        #expect(wire(RESPCommand(["PING"])) == "*1\r\n$4\r\nPING\r\n")
    }

    @Test func commandNameIsUpperCasedAndHidesArguments() {
        let command = RESPCommand(["auth", "s3cret"])
        #expect(command.name == "AUTH")
        #expect(!"\(command)".contains("s3cret"))
    }

    @Test func valuesRoundTripThroughTheDecoder() throws {
        let values: [RESPValue] = [
            .simpleString("OK"), .error("NOSCRIPT No matching script."), .integer(-3), .bulk("x\r\ny"), .null,
            .array(nil), .array([]), .array([.integer(1), .array([.bulk("a"), .null])]),
        ]
        var buffer = ByteBuffer()
        for value in values { value.encode(into: &buffer) }
        var decoder = RESPDecoder()
        var decoded: [RESPValue] = []
        while let value = try decoder.decode(buffer: &buffer) { decoded.append(value) }
        #expect(decoded == values)
    }

    @Test func encodesNullsExactly() {
        var buffer = ByteBuffer()
        RESPValue.bulkString(nil).encode(into: &buffer)
        RESPValue.array(nil).encode(into: &buffer)
        #expect(String(buffer: buffer) == "$-1\r\n*-1\r\n")
    }
}
