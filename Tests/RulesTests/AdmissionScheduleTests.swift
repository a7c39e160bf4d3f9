import Foundation
import Testing

@testable import Rules

@Suite("Waiting room: order and pace")
struct AdmissionScheduleTests {
    let sale = Date(timeIntervalSince1970: 1_800_000_000)

    /// 600 a minute is 10 a second: place 0 at +1 s (⌈60/600⌉), place 9 at +1 s, place 10 at +2 s; at +2.9 s 20 are in.
    @Test func placesAreAdmittedInOrderAtTheRate() {
        let schedule = AdmissionSchedule(onSaleAt: sale, admitPerMinute: 600, admissionSeconds: 600)
        #expect(schedule.admissionTime(rank: 0) == sale.addingTimeInterval(1))
        #expect(schedule.admissionTime(rank: 9) == sale.addingTimeInterval(1))
        #expect(schedule.admissionTime(rank: 10) == sale.addingTimeInterval(2))
        #expect(schedule.admitted(at: sale.addingTimeInterval(2.9)) == 20)
        #expect(schedule.admitted(at: sale.addingTimeInterval(-5)) == 0)
        // 7 a minute: place 0 at ⌈60/7⌉ = 9 s, place 6 at 60 s, place 7 at ⌈480/7⌉ = 69 s.
        let slow = AdmissionSchedule(onSaleAt: sale, admitPerMinute: 7, admissionSeconds: 60)
        #expect(slow.admissionTime(rank: 0) == sale.addingTimeInterval(9))
        #expect(slow.admissionTime(rank: 6) == sale.addingTimeInterval(60))
        #expect(slow.admissionTime(rank: 7) == sale.addingTimeInterval(69))
    }

    /// Never faster than the rate, and a place is admitted exactly when the count passes it.
    @Test func theCountAndThePlacesAgreeEverySecond() {
        for rate in [1, 7, 60, 599, 600, 12_345] {
            let schedule = AdmissionSchedule(onSaleAt: sale, admitPerMinute: rate, admissionSeconds: 60)
            for second in 0...300 {
                let now = sale.addingTimeInterval(TimeInterval(second))
                let count = schedule.admitted(at: now)
                #expect(count * 60 <= second * rate)
                for rank in [0, 1, max(0, count - 1), count, count + 1] {
                    #expect((schedule.admissionTime(rank: rank) <= now) == (rank < count), "rate \(rate) s \(second)")
                }
            }
        }
    }

    @Test func anAdmissionLastsItsWindowThenExpires() {
        let schedule = AdmissionSchedule(onSaleAt: sale, admitPerMinute: 60, admissionSeconds: 600)
        #expect(
            schedule.state(rank: 4, at: sale.addingTimeInterval(2))
                == .waiting(ahead: 2, admittedAt: sale.addingTimeInterval(5)))
        #expect(
            schedule.state(rank: 4, at: sale.addingTimeInterval(5)) == .admitted(until: sale.addingTimeInterval(605)))
        #expect(schedule.state(rank: 4, at: sale.addingTimeInterval(605)) == .expired(at: sale.addingTimeInterval(605)))
    }

    /// Early joiners get random places below every late joiner's; late joiners keep their order.
    @Test func earlyPlacesAreRandomAndLatePlacesFollowInOrder() {
        let schedule = AdmissionSchedule(onSaleAt: sale, admitPerMinute: 60, admissionSeconds: 60)
        var random = SystemRandomNumberGenerator()
        let early = (0..<200).map { schedule.score(joinedAt: sale.addingTimeInterval(-Double($0) - 1), using: &random) }
        let late = (0..<200).map { schedule.score(joinedAt: sale.addingTimeInterval(Double($0) / 10), using: &random) }
        #expect(early.allSatisfy { $0 < AdmissionSchedule.lateBase })
        #expect(early != early.sorted() && early != early.sorted(by: >))
        #expect(late == late.sorted() && late.allSatisfy { $0 >= AdmissionSchedule.lateBase })
        #expect(late.allSatisfy { $0 < 9_007_199_254_740_992 })  // 2⁵³: exact as a double
    }
}
