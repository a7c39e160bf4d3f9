import Testing
@testable import RESP

@Test func placeholderValueIsEquatable() {
    #expect(RESPValue.integer(1) == .integer(1))
}
