import Foundation
import NIOConcurrencyHelpers
import Testing
@testable import BoxOffice

@Suite("Outbox delivery passes")
struct DeliveryPassesTests {
    /// Polls `condition` for up to five seconds.
    private func eventually(_ condition: () -> Bool) async throws -> Bool {
        for _ in 0..<500 {
            if condition() { return true }
            try await Task.sleep(for: .milliseconds(10))
        }
        return condition()
    }

    /// While a pass runs, up to `maxWaiting` callers wait for the next one; the rest of a rush is answered at once,
    /// and the next pass still runs for them (one pass for all, not one each).
    @Test func aRushWaitsForAtMostTheNextPassAndThePassStillRuns() async throws {
        let passes = DeliveryPasses()
        let open = NIOLockedValueBox(false)
        let ran = NIOLockedValueBox(0)
        let answered = NIOLockedValueBox(0)
        let pass: @Sendable () async -> Void = {
            ran.withLockedValue { $0 += 1 }
            while !open.withLockedValue({ $0 }) { try? await Task.sleep(for: .milliseconds(5)) }
        }
        let extra = 5
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask {
                await passes.request(pass)
                answered.withLockedValue { $0 += 1 }
            }
            #expect(try await eventually { ran.withLockedValue { $0 } == 1 })
            for _ in 0..<(DeliveryPasses.maxWaiting + extra) {
                group.addTask {
                    await passes.request(pass)
                    answered.withLockedValue { $0 += 1 }
                }
            }
            // Those past the limit are answered while the first pass still runs; the others wait.
            #expect(try await eventually { answered.withLockedValue { $0 } == extra })
            try await Task.sleep(for: .milliseconds(100))
            #expect(answered.withLockedValue { $0 } == extra)
            open.withLockedValue { $0 = true }
            try await group.waitForAll()
        }
        #expect(answered.withLockedValue { $0 } == DeliveryPasses.maxWaiting + extra + 1)
        #expect(ran.withLockedValue { $0 } == 2)
    }
}
