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
/// **Who goes first.** Waiting requests have a rank, and a place that comes free goes to the first of the highest
/// rank waiting (first come first served within a rank): a purchase already under way (book, pay, confirm) before a
/// hold, a hold before everything else (seat maps, lists, sign-ins). In one line for all, a rush moved in lockstep: each
/// of a purchase's five steps waited behind every other customer's map, the first purchase finished 14 s after the
/// start, and a hold arrived seconds after its map, when other buyers had taken its seats (a 409, another map,
/// another wait). A purchase under way is bounded by the seats it holds, so its requests cannot keep maps waiting for
/// long. And no rank starves another: a waiter that has waited `promoteAfter` (0.4 × the request deadline) goes before
/// any newer hold or other request, and one that has waited twice that before any newer one at all (a rush's first run
/// gave 1,523 of 3,665 seat maps a 503 at their deadline while holds and bookings went past them). Purchases under way
/// are overtaken only at twice the wait: when holds flooded the line after fast seat maps, ageing at `promoteAfter`
/// for all made every booking, payment and confirmation wait as long as the holds (p50 2.8–4.6 s instead of 0.3 s).
/// A request whose deadline passes in line is still answered 503 without running.
///
/// **Seat maps wait in a line of their own** (`inSeatMapLine()`, with half as many places): in the one line, the
/// ranks made a customer's map wait behind everyone's holds and bookings (up to the ageing limit), and the hold that
/// followed it came seconds late, after other buyers had taken its seats. A map now waits only behind other maps, and
/// most maps of a rush are the same bytes between two changes (`SeatMapSnapshots`), so that line moves fast.
///
/// Routes without a deadline (the WebSocket, which lives on after its upgrade, `/health`, uploads, backups) and the
/// operator's `/ready` and `/metrics` (`outsideTheLine()`) do not take a place: they are long by design or must answer
/// even when the server is full.
final class RequestGate: Sendable {
    let limit: Int
    /// A waiter that has waited this long goes before every newer waiter, whatever the ranks.
    let promoteAfter: Duration
    private let metrics: any AppMetrics
    /// The time a wait is measured in: `ContinuousClock.now`, or a test's own clock, so a test of the ageing does not
    /// depend on how fast the machine runs it.
    private let now: @Sendable () -> ContinuousClock.Instant
    private let state = NIOLockedValueBox(State())

    /// A waiting request's rank: lower goes first. Set on a route with `inLine(_:)`; `.browsing` unless set.
    enum Rank: Int, CaseIterable, Sendable {
        /// A purchase under way: booking a hold, paying, confirming a payment, the gateway's webhook.
        case finishing
        /// Taking or extending a hold.
        case holding
        /// Everything else.
        case browsing
    }

    private struct State {
        var running = 0
        /// One line per rank, in `Rank` order.
        var lines = Rank.allCases.map { _ in CircularBuffer<Waiter>() }
        var nextTicket: UInt64 = 0

        var waiting: Int { lines.reduce(0) { $0 + $1.count } }

        /// In order: the longest-waiting of those waiting twice `promoteAfter` or more; the first purchase under way;
        /// the longest-waiting of the others waiting `promoteAfter` or more; the first of the highest rank waiting.
        mutating func popNext(promoteAfter: Duration, now: ContinuousClock.Instant) -> Waiter? {
            if let rank = oldestHead(waited: promoteAfter * 2, now: now, among: lines.indices) {
                return lines[rank].removeFirst()
            }
            let finishing = Rank.finishing.rawValue
            if !lines[finishing].isEmpty { return lines[finishing].removeFirst() }
            if let rank = oldestHead(waited: promoteAfter, now: now, among: (finishing + 1)..<lines.count) {
                return lines[rank].removeFirst()
            }
            for rank in lines.indices where !lines[rank].isEmpty { return lines[rank].removeFirst() }
            return nil
        }

        /// The rank whose first waiter came first of those (in `ranks`) that have waited `waited` or more.
        private func oldestHead(waited: Duration, now: ContinuousClock.Instant, among ranks: Range<Int>) -> Int? {
            var oldest: (rank: Int, ticket: UInt64)?
            for rank in ranks {
                guard let head = lines[rank].first, now - head.since >= waited else { continue }
                if head.ticket < oldest?.ticket ?? .max { oldest = (rank, head.ticket) }
            }
            return oldest?.rank
        }

        mutating func remove(ticket: UInt64) -> Waiter? {
            for rank in lines.indices {
                if let index = lines[rank].firstIndex(where: { $0.ticket == ticket }) {
                    return lines[rank].remove(at: index)
                }
            }
            return nil
        }
    }

    private struct Waiter {
        var ticket: UInt64
        var since: ContinuousClock.Instant
        var continuation: CheckedContinuation<Void, any Error>
    }

    init(
        limit: Int, promoteAfter: Duration = .seconds(4), metrics: any AppMetrics,
        now: @escaping @Sendable () -> ContinuousClock.Instant = { .now }
    ) {
        precondition(limit > 0)
        self.limit = limit
        self.promoteAfter = promoteAfter
        self.metrics = metrics
        self.now = now
    }

    /// How many requests run and wait now.
    var load: (running: Int, waiting: Int) { state.withLockedValue { ($0.running, $0.waiting) } }

    /// Runs `work` once a place is free; throws `CancellationError` if the task is cancelled while it waits. The place
    /// is given up when `work` ends or when the task is cancelled (the request's deadline answered it), whichever comes
    /// first: a handler stuck on a frozen database, which cancelling does not end, does not keep its place past its
    /// deadline.
    func run<T>(rank: Rank = .browsing, _ work: () async throws -> T) async throws -> T {
        try await enter(rank: rank)
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

    private func enter(rank: Rank) async throws {
        let ticket: UInt64? = state.withLockedValue { state in
            if state.running < limit && state.waiting == 0 {
                state.running += 1
                return nil
            }
            defer { state.nextTicket &+= 1 }
            return state.nextTicket
        }
        guard let ticket else { return }
        let started = now()
        try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
                let (cancelled, admitted) = state.withLockedValue { state -> (Bool, Waiter?) in
                    // Cancelled before it got in line: the handler below found nothing to remove.
                    if Task.isCancelled { return (true, nil) }
                    state.lines[rank.rawValue].append(
                        Waiter(ticket: ticket, since: started, continuation: continuation))
                    // A place may have come free between the first look and now: it goes to whoever is first.
                    guard state.running < limit, let next = state.popNext(promoteAfter: promoteAfter, now: now())
                    else {
                        return (false, nil)
                    }
                    state.running += 1
                    return (false, next)
                }
                if cancelled { continuation.resume(throwing: CancellationError()) }
                admitted?.continuation.resume()
            }
        } onCancel: {
            let removed = state.withLockedValue { $0.remove(ticket: ticket) }
            removed?.continuation.resume(throwing: CancellationError())
        }
        metrics.observe("http_request_queue_seconds", seconds: (now() - started).seconds, labels: [:])
    }

    /// Hands the place to the first in line, or frees it.
    private func leave() {
        let next = state.withLockedValue { state -> Waiter? in
            // The place passes on: `running` stays.
            if let next = state.popNext(promoteAfter: promoteAfter, now: now()) { return next }
            state.running -= 1
            return nil
        }
        next?.continuation.resume()
    }
}

/// Puts every request with a deadline through the app's `RequestGate`: seat maps through their own, if there is one.
struct RequestGateMiddleware: AsyncMiddleware {
    let gate: RequestGate
    /// The seat maps' line (`Route.inSeatMapLine()`); nil: they wait in `gate` with everything else.
    var seatMaps: RequestGate?

    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        let info = request.route?.userInfo ?? [:]
        if info[RequestDeadlineMiddleware.exemptKey] != nil || info[Self.exemptKey] != nil {
            return try await next.respond(to: request)
        }
        if let seatMaps, info[Self.seatMapKey] != nil {
            return try await seatMaps.run { try await next.respond(to: request) }
        }
        let rank = info[Self.rankKey] as? RequestGate.Rank ?? .browsing
        return try await gate.run(rank: rank) { try await next.respond(to: request) }
    }

    /// Set in a route's `userInfo` by `outsideTheLine()`.
    static let exemptKey = "boxoffice.outside-the-line"
    /// Set in a route's `userInfo` by `inLine(_:)`.
    static let rankKey = "boxoffice.line-rank"
    /// Set in a route's `userInfo` by `inSeatMapLine()`.
    static let seatMapKey = "boxoffice.seat-map-line"
}

extension Route {
    /// Leaves the route out of `RequestGate`'s line (it keeps its deadline): for the operator's probes, which must
    /// tell a full server from a dead one.
    @discardableResult
    func outsideTheLine() -> Route {
        userInfo[RequestGateMiddleware.exemptKey] = true
        return self
    }

    /// The route's requests wait in the seat maps' line (see `RequestGate`), not behind holds and purchases.
    @discardableResult
    func inSeatMapLine() -> Route {
        userInfo[RequestGateMiddleware.seatMapKey] = true
        return self
    }

    /// The route's requests wait in line with this rank (see `RequestGate`); `.browsing` unless set.
    @discardableResult
    func inLine(_ rank: RequestGate.Rank) -> Route {
        userInfo[RequestGateMiddleware.rankKey] = rank
        return self
    }
}
