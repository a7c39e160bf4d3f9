import NIOConcurrencyHelpers
import NIOCore
import Vapor

/// At most `limit` requests run at once; the rest wait their turn, first come first served (issue 26, the on-sale
/// rush). Without it, 2,000 buyers' requests all ran at once and shared the two cores evenly: a booking, which awaits
/// the database a dozen times, re-queued behind every other request at each await, so it took many times longer than
/// a seat map and ran past the 10-second deadline while the CPU was spent on requests just as late. Waiting in line
/// instead, each request runs at full speed once admitted; the wait counts toward the request's deadline
/// (`RequestDeadlineMiddleware` runs first), and a request whose deadline passes while it waits leaves the line
/// without having run (so nothing of it was written).
///
/// Routes without a deadline (the WebSocket, which lives on after its upgrade, `/health`, uploads, backups) and the
/// operator's `/ready` and `/metrics` (`outsideTheLine()`) do not take a place: they are long by design or must answer
/// even when the server is full.
final class RequestGate: Sendable {
    let limit: Int
    private let metrics: any AppMetrics
    private let state = NIOLockedValueBox(State())

    private struct State {
        var running = 0
        var waiting = CircularBuffer<Waiter>()
        var nextTicket: UInt64 = 0
    }

    private struct Waiter {
        var ticket: UInt64
        var continuation: CheckedContinuation<Void, any Error>
    }

    init(limit: Int, metrics: any AppMetrics) {
        precondition(limit > 0)
        self.limit = limit
        self.metrics = metrics
    }

    /// How many requests run and wait now.
    var load: (running: Int, waiting: Int) { state.withLockedValue { ($0.running, $0.waiting.count) } }

    /// Runs `work` once a place is free; throws `CancellationError` if the task is cancelled while it waits. The place
    /// is given up when `work` ends or when the task is cancelled (the request's deadline answered it), whichever comes
    /// first: a handler stuck on a frozen database, which cancelling does not end, does not keep its place past its
    /// deadline.
    func run<T>(_ work: () async throws -> T) async throws -> T {
        try await enter()
        let place = Place(gate: self)
        defer { place.giveUp() }
        return try await withTaskCancellationHandler(operation: work, onCancel: { place.giveUp() })
    }

    /// One admitted request's place, given up once.
    private final class Place: Sendable {
        let gate: RequestGate
        private let held = NIOLockedValueBox(true)

        init(gate: RequestGate) { self.gate = gate }

        func giveUp() {
            let wasHeld = held.withLockedValue { held in
                defer { held = false }
                return held
            }
            if wasHeld { gate.leave() }
        }
    }

    private func enter() async throws {
        let ticket: UInt64? = state.withLockedValue { state in
            if state.running < limit && state.waiting.isEmpty {
                state.running += 1
                return nil
            }
            defer { state.nextTicket &+= 1 }
            return state.nextTicket
        }
        guard let ticket else { return }
        let started = ContinuousClock.now
        try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
                let cancelled = state.withLockedValue { state in
                    // Cancelled before it got in line: the handler below found nothing to remove.
                    if Task.isCancelled { return true }
                    state.waiting.append(Waiter(ticket: ticket, continuation: continuation))
                    // A place may have come free between the first look and now.
                    if state.running < limit, let first = state.waiting.first, first.ticket == ticket {
                        state.waiting.removeFirst()
                        state.running += 1
                        continuation.resume()
                    }
                    return false
                }
                if cancelled { continuation.resume(throwing: CancellationError()) }
            }
        } onCancel: {
            let removed = state.withLockedValue { state -> Waiter? in
                guard let index = state.waiting.firstIndex(where: { $0.ticket == ticket }) else { return nil }
                return state.waiting.remove(at: index)
            }
            removed?.continuation.resume(throwing: CancellationError())
        }
        metrics.observe("http_request_queue_seconds", seconds: (ContinuousClock.now - started).seconds, labels: [:])
    }

    /// Hands the place to the first in line, or frees it.
    private func leave() {
        let next = state.withLockedValue { state -> Waiter? in
            if let first = state.waiting.popFirst() { return first }  // the place passes on: `running` stays
            state.running -= 1
            return nil
        }
        next?.continuation.resume()
    }
}

/// Puts every request with a deadline through the app's `RequestGate`.
struct RequestGateMiddleware: AsyncMiddleware {
    let gate: RequestGate

    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        if let info = request.route?.userInfo,
            info[RequestDeadlineMiddleware.exemptKey] != nil || info[Self.exemptKey] != nil
        {
            return try await next.respond(to: request)
        }
        return try await gate.run { try await next.respond(to: request) }
    }

    /// Set in a route's `userInfo` by `outsideTheLine()`.
    static let exemptKey = "boxoffice.outside-the-line"
}

extension Route {
    /// Leaves the route out of `RequestGate`'s line (it keeps its deadline): for the operator's probes, which must
    /// tell a full server from a dead one.
    @discardableResult
    func outsideTheLine() -> Route {
        userInfo[RequestGateMiddleware.exemptKey] = true
        return self
    }
}
