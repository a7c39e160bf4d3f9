import NIOConcurrencyHelpers
import Vapor

/// At most `WRITE_CONCURRENCY` requests that write (anything but GET, HEAD and OPTIONS) are served at once; the
/// others wait their turn in order of arrival, before they touch a database, Redis or a lock.
///
/// Found by the on-sale rush (issue 26): with 2,000 buyers at once, every statement of every request queued behind
/// every other request's statements (the connection pools, the SQLite writer and the Redis pool each serve in
/// order of arrival), so a booking, which makes a dozen statements, waited a dozen times: no one got a ticket until
/// nearly the end, and on PostgreSQL most bookings ran past the 10-second deadline (503). Queued here instead, a
/// request waits once, and once admitted it runs with short queues behind it. The deadline still covers the wait:
/// a request that waits too long is answered 503 and leaves the queue without ever running.
struct WriteAdmissionMiddleware: AsyncMiddleware {
    let queue: AdmissionQueue

    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        switch request.method {
        case .GET, .HEAD, .OPTIONS: return try await next.respond(to: request)
        default:
            try await queue.enter()
            defer { queue.leave() }
            return try await next.respond(to: request)
        }
    }
}

/// A counting semaphore that admits in order of arrival; a waiter whose task is cancelled leaves the queue.
final class AdmissionQueue: Sendable {
    private struct State {
        var running = 0
        var waiting: [(id: UInt64, continuation: CheckedContinuation<Void, any Error>)] = []
        var nextID: UInt64 = 0
    }

    let limit: Int
    private let state = NIOLockedValueBox(State())

    init(limit: Int) {
        self.limit = max(1, limit)
    }

    /// Requests running, and waiting for their turn.
    var counts: (running: Int, waiting: Int) { state.withLockedValue { ($0.running, $0.waiting.count) } }

    func enter() async throws {
        let id = state.withLockedValue { state -> UInt64? in
            if state.running < limit && state.waiting.isEmpty {
                state.running += 1
                return nil
            }
            state.nextID += 1
            return state.nextID
        }
        guard let id else { return }
        try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
                let cancelled = state.withLockedValue { state -> Bool in
                    if Task.isCancelled { return true }
                    state.waiting.append((id, continuation))
                    return false
                }
                if cancelled { continuation.resume(throwing: CancellationError()) }
            }
        } onCancel: {
            let waiter = state.withLockedValue { state -> CheckedContinuation<Void, any Error>? in
                guard let index = state.waiting.firstIndex(where: { $0.id == id }) else { return nil }
                return state.waiting.remove(at: index).continuation
            }
            waiter?.resume(throwing: CancellationError())
        }
    }

    /// Hands the place to the first waiter, if any.
    func leave() {
        let next = state.withLockedValue { state -> CheckedContinuation<Void, any Error>? in
            guard !state.waiting.isEmpty else {
                state.running -= 1
                return nil
            }
            return state.waiting.removeFirst().continuation
        }
        next?.resume()
    }
}
