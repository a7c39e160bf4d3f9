import Testing

@testable import RESP

@Suite struct RESPValueTests {
    @Test func stringAccessorReadsSimpleBulkAndIntegers() {
        #expect(RESPValue.simpleString("OK").string == "OK")
        #expect(RESPValue.bulk("hi").string == "hi")
        #expect(RESPValue.integer(7).string == "7")
        #expect(RESPValue.null.string == nil)
        #expect(RESPValue.error("ERR x").string == nil)
        #expect(RESPValue.array([]).string == nil)
    }

    @Test func intAccessorParsesCountersStoredAsStrings() {
        #expect(RESPValue.integer(42).int == 42)
        #expect(RESPValue.bulk("17").int == 17)
        #expect(RESPValue.bulk("x").int == nil)
        #expect(RESPValue.null.int == nil)
    }

    @Test func bothNullsAreNull() {
        #expect(RESPValue.bulkString(nil).isNull)
        #expect(RESPValue.array(nil).isNull)
        #expect(!RESPValue.bulkString([]).isNull)
        #expect(!RESPValue.array([]).isNull)
        #expect(RESPValue.bulkString(nil) != RESPValue.array(nil))
    }

    @Test func arrayBytesAndErrorAccessors() {
        #expect(RESPValue.array([1, "a"]).array == [.integer(1), .bulk("a")])
        #expect(RESPValue.array(nil).array == nil)
        #expect(RESPValue.bulkString([0, 255]).bytes == [0, 255])
        #expect(RESPValue.error("WRONGTYPE Operation").errorMessage == "WRONGTYPE Operation")
    }

    @Test func errorCodeIsTheFirstWord() {
        #expect(RESPError(message: "NOSCRIPT No matching script. Please use EVAL.").code == "NOSCRIPT")
        #expect(RESPError(message: "SEATS_TAKEN 3,4").code == "SEATS_TAKEN")
        #expect(RESPError(message: "ERR").code == "ERR")
    }

    @Test func descriptionCutsLongBulkStrings() {
        let long = RESPValue.bulkString(Array(repeating: UInt8(ascii: "a"), count: 1000))
        #expect(long.description.hasSuffix("(1000 bytes)"))
        #expect(long.description.count < 100)
    }
}
