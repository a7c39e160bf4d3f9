import Foundation
import Rules
import Testing

@Suite("Rules: refund tiers")
struct RefundPolicyTests {
    let policy = RefundPolicy(tiers: [.init(hoursBefore: 8, percent: 80), .init(hoursBefore: 24, percent: 100)])

    @Test func tiersApplyAtTheirBoundaries() {
        #expect(policy.percent(secondsBefore: 24 * 3600) == 100)
        #expect(policy.percent(secondsBefore: 24 * 3600 - 1) == 80)
        #expect(policy.percent(secondsBefore: 8 * 3600) == 80)
        #expect(policy.percent(secondsBefore: 8 * 3600 - 1) == nil)
        #expect(policy.percent(secondsBefore: 0) == nil)
        #expect(policy.percent(secondsBefore: -60) == nil)
    }

    @Test func amountsAreHalfUpAndNeverMoreThanIsLeft() {
        #expect(RefundPolicy.amount(paid: 12345, alreadyRefunded: 0, percent: 80) == 9876)
        #expect(RefundPolicy.amount(paid: 12345, alreadyRefunded: 5000, percent: 100) == 7345)
        #expect(RefundPolicy.amount(paid: 100, alreadyRefunded: 100, percent: 100) == 0)
    }
}

@Suite("Rules: booking status moves")
struct BookingStatusTests {
    @Test func onlyTheTableMovesAreAllowed() {
        let allowed: Set<String> = [
            "PENDING>CONFIRMED", "PENDING>EXPIRED", "PENDING>CANCELLED", "CONFIRMED>CANCELLED",
            "EXPIRED>CONFIRMED",
        ]
        for from in BookingStatus.allCases {
            for to in BookingStatus.allCases {
                #expect(
                    BookingStatus.canMove(from: from, to: to) == allowed.contains("\(from.rawValue)>\(to.rawValue)"))
            }
        }
        #expect(BookingStatus.allCases.filter(\.holdsSeats) == [.pending, .confirmed])
    }
}

@Suite("Rules: free slots")
struct FreeSlotsTests {
    let day = Date(timeIntervalSince1970: 1_795_000_000)

    func at(_ minutes: Int) -> Date { day.addingTimeInterval(TimeInterval(minutes * 60)) }

    @Test func windowsFallAroundBusySpansAndNotBeforeNow() {
        let windows = FreeSlots.windows(
            opens: at(0), closes: at(600), now: at(30),
            busy: [(start: at(300), end: at(450)), (start: at(100), end: at(200))])
        #expect(windows.map { [$0.start, $0.end] } == [[at(30), at(100)], [at(200), at(300)], [at(450), at(600)]])
    }

    @Test func aRequiredLengthKeepsOnlyWindowsItFitsWithTheLatestStart() {
        let windows = FreeSlots.windows(
            opens: at(0), closes: at(600), now: at(0),
            busy: [(start: at(100), end: at(400))], requiredMinutes: 150)
        #expect(windows.count == 1)
        #expect(windows.first?.start == at(400) && windows.first?.latestStart == at(450))
    }

    @Test func aShowRunningInFromTheNightBeforeDelaysOpening() {
        let windows = FreeSlots.windows(
            opens: at(0), closes: at(600), now: at(0), busy: [(start: at(-60), end: at(45))])
        #expect(windows.first?.start == at(45))
    }
}

@Suite("Rules: discount eligibility")
struct DiscountEligibilityTests {
    let now = Date(timeIntervalSince1970: 1_795_000_000)
    let show = UUID(), movie = UUID()

    func terms(_ change: (inout DiscountEligibility.Terms) -> Void = { _ in }) -> DiscountEligibility.Terms {
        var terms = DiscountEligibility.Terms(
            isActive: true, startsAt: nil, endsAt: nil, movieID: nil, showID: nil,
            minSubtotal: 1000, usageLimitTotal: nil, timesUsed: 0, usageLimitPerUser: nil)
        change(&terms)
        return terms
    }

    func refusal(_ terms: DiscountEligibility.Terms, subtotal: Int = 5000, used: Int? = nil) -> DiscountEligibility
        .Refusal?
    {
        DiscountEligibility.refusal(terms, now: now, showID: show, movieID: movie, subtotal: subtotal, usedByUser: used)
    }

    @Test func eachRuleRefusesWithItsReasonInOrder() {
        #expect(refusal(terms()) == nil)
        #expect(
            refusal(
                terms {
                    $0.isActive = false; $0.minSubtotal = 99_999
                }) == .inactive)
        #expect(refusal(terms { $0.startsAt = now.addingTimeInterval(1) }) == .notStarted)
        #expect(refusal(terms { $0.startsAt = now }) == nil)
        #expect(refusal(terms { $0.endsAt = now }) == .expired)
        #expect(refusal(terms { $0.movieID = UUID() }) == .notApplicableMovie)
        #expect(refusal(terms { $0.showID = UUID() }) == .notApplicableShow)
        #expect(refusal(terms(), subtotal: 999) == .belowMinSubtotal)
        #expect(
            refusal(
                terms {
                    $0.usageLimitTotal = 3; $0.timesUsed = 3
                }) == .exhaustedTotal)
        #expect(refusal(terms { $0.usageLimitPerUser = 1 }, used: 1) == .exhaustedForUser)
        #expect(refusal(terms { $0.usageLimitPerUser = 2 }, used: 1) == nil)
    }
}

@Suite("Rules: rupees")
struct RupeesTests {
    /// As the web client's `rupees()` writes them: Indian grouping, two decimals.
    @Test func indianGroupingWithPaise() {
        #expect(rupees(0) == "₹0.00")
        #expect(rupees(5) == "₹0.05")
        #expect(rupees(106_200) == "₹1,062.00")
        #expect(rupees(295_120) == "₹2,951.20")
        #expect(rupees(12_345_678) == "₹1,23,456.78")
        #expect(rupees(123_456_789) == "₹12,34,567.89")
        #expect(rupees(-9_050) == "−₹90.50")
    }
}
