import Testing
@testable import Pricing

@Test func minorUnitsAreIntegers() { #expect(MinorUnits(100) == 100) }
