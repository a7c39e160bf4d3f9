import Foundation
import Testing

@testable import BoxOffice

/// `WRITE_CONCURRENCY` (issue 26's on-sale rush): at most `limit` writes run at once, the rest are admitted in order
/// of arrival, and one whose request gave up (the deadline cancelled it) leaves the queue without taking a place.
@Suite("Write admission")
struct AdmissionQueueTests {
    @Test func admitsUpToTheLimitThenInOrderOfArrival() async throws {
        let queue = AdmissionQueue(limit: 2)
        try await queue.enter()
        try await queue.enter()
        let order = OrderLog()
        let third = Task {
            try await queue.enter()
            await order.append(3)
        }
        try await waitForWaiting(queue, 1)
        let fourth = Task {
            try await queue.enter()
            await order.append(4)
        }
        try await waitForWaiting(queue, 2)
        #expect(queue.counts.running == 2)

        queue.leave()
        try await third.value
        #expect(await order.items == [3])
        queue.leave()
        try await fourth.value
        #expect(await order.items == [3, 4])
        #expect(queue.counts.running == 2 && queue.counts.waiting == 0)
        queue.leave()
        queue.leave()
        #expect(queue.counts.running == 0)
    }

    @Test func aCancelledWaiterLeavesTheQueue() async throws {
        let queue = AdmissionQueue(limit: 1)
        try await queue.enter()
        let gaveUp = Task { try await queue.enter() }
        try await waitForWaiting(queue, 1)
        gaveUp.cancel()
        await #expect(throws: CancellationError.self) { try await gaveUp.value }
        #expect(queue.counts.waiting == 0)

        // Its place was not taken: the next one in runs as soon as the first leaves.
        queue.leave()
        try await queue.enter()
        #expect(queue.counts.running == 1)
        queue.leave()
    }

    private actor OrderLog {
        var items: [Int] = []
        func append(_ item: Int) { items.append(item) }
    }

    private func waitForWaiting(_ queue: AdmissionQueue, _ count: Int) async throws {
        for _ in 0..<2000 where queue.counts.waiting < count { try await Task.sleep(for: .milliseconds(1)) }
        #expect(queue.counts.waiting >= count)
    }
}
