import Foundation
import NIOConcurrencyHelpers
import NIOCore
import Testing
import VaporTesting

@testable import BoxOffice

/// The request line (issue 26's on-sale rush): at most `limit` requests run at once, the rest wait first come first
/// served, and a request whose deadline passes while it waits leaves the line without running.
@Suite("Request gate: a bounded number of requests run, the rest wait in line")
struct RequestGateTests {
    /// Counts the requests inside `run` at once.
    final class Inside: Sendable {
        private let counts = NIOLockedValueBox((now: 0, most: 0, entered: [Int]()))
        func enter(_ id: Int) {
            counts.withLockedValue {
                $0.now += 1
                $0.most = max($0.most, $0.now)
                $0.entered.append(id)
            }
        }
        func leave() { counts.withLockedValue { $0.now -= 1 } }
        var most: Int { counts.withLockedValue { $0.most } }
        var entered: [Int] { counts.withLockedValue { $0.entered } }
    }

    @Test func neverMoreThanTheLimitRunAndEveryoneRuns() async throws {
        let gate = RequestGate(limit: 4, metrics: InMemoryMetrics())
        let inside = Inside()
        let done = try await withThrowingTaskGroup(of: Int.self) { group in
            for id in 0..<200 {
                group.addTask {
                    try await gate.run {
                        inside.enter(id)
                        try await Task.sleep(for: .milliseconds(id % 3))
                        inside.leave()
                        return id
                    }
                }
            }
            return try await group.reduce(into: Set<Int>()) { $0.insert($1) }
        }
        #expect(done == Set(0..<200))
        #expect(inside.most <= 4 && inside.most >= 2)
        #expect(gate.load == (0, 0))
    }

    /// A gate of one place, taken by request 0 until `release()`; `enqueue` puts requests 1, 2, … in line one by one
    /// (each in line before the next), and `finish()` lets them all through and returns the order they ran in.
    final class OnePlace: Sendable {
        let gate: RequestGate
        let inside = Inside()
        private let released = NIOLockedValueBox(false)
        private let tasks = NIOLockedValueBox<[Task<Void, any Error>]>([])

        /// The gate's clock: it moves only when the test says (`wait(_:)`), so a stalled test runner cannot age a
        /// waiter past a bound (a CI run once took 18 s over a test that slept 1.2 s against a 2 s bound).
        private let clock = NIOLockedValueBox(ContinuousClock.now)

        init(promoteAfter: Duration = .seconds(3600)) async throws {
            let clock = clock
            gate = RequestGate(
                limit: 1, promoteAfter: promoteAfter, metrics: InMemoryMetrics(),
                now: { clock.withLockedValue { $0 } })
            let (gate, inside, released) = (gate, inside, released)
            tasks.withLockedValue {
                $0.append(
                    Task {
                        try await gate.run {
                            inside.enter(0)
                            while !released.withLockedValue({ $0 }) { try await Task.sleep(for: .milliseconds(5)) }
                            inside.leave()
                        }
                    })
            }
            while gate.load.running == 0 { try await Task.sleep(for: .milliseconds(5)) }
        }

        func enqueue(_ rank: RequestGate.Rank = .browsing) async throws {
            let (gate, inside) = (gate, inside)
            let id = tasks.withLockedValue { $0.count }
            tasks.withLockedValue {
                $0.append(
                    Task {
                        try await gate.run(rank: rank) {
                            inside.enter(id)
                            inside.leave()
                        }
                    })
            }
            while gate.load.waiting < id { try await Task.sleep(for: .milliseconds(5)) }
        }

        /// Moves the gate's clock on by `duration`.
        func wait(_ duration: Duration) { clock.withLockedValue { $0 = $0.advanced(by: duration) } }

        func finish() async throws -> [Int] {
            released.withLockedValue { $0 = true }
            for task in tasks.withLockedValue({ $0 }) { try await task.value }
            #expect(gate.load == (0, 0))
            return inside.entered
        }
    }

    @Test func waitersGoInTheOrderTheyCame() async throws {
        let line = try await OnePlace()
        for _ in 1...5 { try await line.enqueue() }
        #expect(try await line.finish() == [0, 1, 2, 3, 4, 5])
    }

    /// A place that comes free goes to a purchase under way first, then to a hold, then to the rest; first come first
    /// served within each rank.
    @Test func purchasesUnderWayGoFirstThenHoldsThenTheRest() async throws {
        let line = try await OnePlace()
        for rank in [RequestGate.Rank.browsing, .browsing, .holding, .finishing, .holding, .finishing, .browsing] {
            try await line.enqueue(rank)
        }
        #expect(try await line.finish() == [0, 4, 6, 3, 5, 1, 2, 7])
    }

    /// No rank starves another: a waiter that has waited twice `promoteAfter` goes before newer waiters of any rank.
    @Test func aLongWaitGoesBeforeNewerWaitersOfAnyRank() async throws {
        let line = try await OnePlace(promoteAfter: .milliseconds(200))
        try await line.enqueue(.browsing)
        line.wait(.milliseconds(500))  // the request has now waited past twice promoteAfter
        try await line.enqueue(.finishing)
        try await line.enqueue(.holding)
        #expect(try await line.finish() == [0, 1, 2, 3])
    }

    /// Past `promoteAfter` (but not twice it) a waiter goes before newer holds and the rest, not before a purchase
    /// under way.
    @Test func aWaitGoesBeforeNewerHoldsButNotBeforeAPurchaseUnderWay() async throws {
        let line = try await OnePlace(promoteAfter: .seconds(1))
        try await line.enqueue(.browsing)
        line.wait(.milliseconds(1200))  // past promoteAfter, short of twice it
        try await line.enqueue(.holding)
        try await line.enqueue(.finishing)
        #expect(try await line.finish() == [0, 3, 1, 2])
    }

    /// The routes of a purchase under way, and of holds, carry their rank; everything else waits as browsing.
    @Test func theRoutesOfAPurchaseCarryTheirRank() async throws {
        try await withTestApp { t in
            var ranked: [String: RequestGate.Rank] = [:]
            for route in t.app.routes.all {
                if let rank = route.userInfo[RequestGateMiddleware.rankKey] as? RequestGate.Rank {
                    ranked["\(route.method.rawValue) /\(route.path.string)"] = rank
                }
            }
            #expect(
                ranked == [
                    "POST /bookings": .finishing, "POST /payments": .finishing, "POST /payments/webhook": .finishing,
                    "POST /payments/:id/simulate": .finishing, "POST /seatlocks": .holding,
                    "PATCH /seatlocks/:id": .holding,
                ])
        }
    }

    /// The seat map and best-available wait in the seat maps' own line; nothing else does.
    @Test func theSeatMapReadsWaitInTheirOwnLine() async throws {
        try await withTestApp { t in
            let inSeatMapLine = Set(
                t.app.routes.all.filter { $0.userInfo[RequestGateMiddleware.seatMapKey] != nil }
                    .map { "\($0.method.rawValue) /\($0.path.string)" })
            #expect(inSeatMapLine == ["GET /shows/:id/availability", "GET /shows/:id/best-available"])
        }
    }

    /// Through the middleware: with every place of the main line taken (by a frozen request, and another request
    /// waiting behind it), a seat map still runs at once in its own line.
    @Test func aSeatMapDoesNotWaitBehindTheMainLine() async throws {
        try await withTestApp { t in
            let metrics = t.app.boxOffice.metrics
            let main = RequestGate(limit: 1, metrics: metrics)
            let maps = RequestGate(limit: 1, metrics: metrics)
            let gate = RequestGateMiddleware(gate: main, seatMaps: maps)
            let (app, loop) = (t.app, t.app.eventLoopGroup.next())
            let responder = RequestDeadlineTests.Frozen(delay: .milliseconds(1))
            func request(_ path: String, seatMap: Bool) -> Request {
                let request = Request(application: app, method: .GET, url: URI(path: path), on: loop)
                let route = Route(
                    method: .GET, path: [.constant("x")], responder: responder, requestType: Request.self,
                    responseType: Response.self)
                if seatMap { route.inSeatMapLine() }
                request.route = route
                return request
            }
            let frozen = Task {
                try await gate.respond(
                    to: request("/frozen", seatMap: false),
                    chainingTo: RequestDeadlineTests.Frozen(delay: .seconds(3)))
            }
            try await Task.sleep(for: .milliseconds(100))
            let waiting = Task {
                try await gate.respond(to: request("/seatlocks", seatMap: false), chainingTo: responder)
            }
            try await Task.sleep(for: .milliseconds(100))
            #expect(main.load == (1, 1))
            let started = ContinuousClock.now
            #expect(try await gate.respond(to: request("/map", seatMap: true), chainingTo: responder).status == .ok)
            #expect(ContinuousClock.now - started < .seconds(2), "the map waited for the main line")
            #expect(maps.load == (0, 0) && main.load == (1, 1))
            _ = try await (frozen.value, waiting.value)
            #expect(main.load == (0, 0))
        }
    }

    /// A waiter cancelled (its deadline passed) leaves the line without running, and its place is not lost.
    @Test func aCancelledWaiterNeverRunsAndGivesNoPlaceAway() async throws {
        let gate = RequestGate(limit: 1, metrics: InMemoryMetrics())
        let ran = NIOLockedValueBox([Int]())
        let release = NIOLockedValueBox(false)
        let holder = Task {
            try await gate.run {
                while !release.withLockedValue({ $0 }) { try await Task.sleep(for: .milliseconds(5)) }
            }
        }
        while gate.load.running == 0 { try await Task.sleep(for: .milliseconds(5)) }
        let cancelled = Task { try await gate.run { ran.withLockedValue { $0.append(1) } } }
        while gate.load.waiting == 0 { try await Task.sleep(for: .milliseconds(5)) }
        let next = Task { try await gate.run { ran.withLockedValue { $0.append(2) } } }
        while gate.load.waiting < 2 { try await Task.sleep(for: .milliseconds(5)) }
        cancelled.cancel()
        await #expect(throws: CancellationError.self) { try await cancelled.value }
        #expect(gate.load == (1, 1))
        release.withLockedValue { $0 = true }
        try await holder.value
        try await next.value
        #expect(ran.withLockedValue { $0 } == [2])
        #expect(gate.load == (0, 0))
        // Already cancelled before it asks: it never gets in line.
        let early = Task {
            withUnsafeCurrentTask { $0?.cancel() }
            try await gate.run { ran.withLockedValue { $0.append(3) } }
        }
        _ = try? await early.value
        #expect(gate.load == (0, 0))
    }

    /// A running request answered by its deadline (its task cancelled) gives its place up at once, though its handler
    /// is stuck on something cancelling does not end (a frozen database): the next in line runs meanwhile.
    @Test func aCancelledRunningRequestGivesItsPlaceUpAtOnce() async throws {
        let gate = RequestGate(limit: 1, metrics: InMemoryMetrics())
        let thaw = NIOLockedValueBox(false)
        let ran = NIOLockedValueBox(false)
        let stuck = Task {
            try await gate.run {
                // Ignores cancellation, as a query on a frozen database does.
                while !thaw.withLockedValue({ $0 }) { try? await Task.sleep(for: .milliseconds(5)) }
            }
        }
        while gate.load.running == 0 { try await Task.sleep(for: .milliseconds(5)) }
        let next = Task { try await gate.run { ran.withLockedValue { $0 = true } } }
        while gate.load.waiting == 0 { try await Task.sleep(for: .milliseconds(5)) }
        stuck.cancel()
        try await next.value
        #expect(ran.withLockedValue { $0 })
        thaw.withLockedValue { $0 = true }
        try await stuck.value
        #expect(gate.load == (0, 0))  // the stuck one's end gives nothing up twice
    }

    /// Exactly the routes without a deadline, and the operator's probes, stay out of the line.
    @Test func theProbesAndTheLongByDesignRoutesStayOutOfTheLine() async throws {
        try await withTestApp { t in
            let outside = Set(
                t.app.routes.all.filter {
                    $0.userInfo[RequestDeadlineMiddleware.exemptKey] != nil
                        || $0.userInfo[RequestGateMiddleware.exemptKey] != nil
                }
                .map { "\($0.method.rawValue) /\($0.path.string)" })
            #expect(
                outside == [
                    "GET /health", "GET /ready", "GET /metrics", "GET /ws", "POST /movies/:id/poster", "POST /backup",
                    "GET /backup/:id/download", "POST /restore",
                ])
        }
    }

    /// Through the app: the deadline counts the wait, so a request in line behind a frozen one is answered 503
    /// `request_timeout` on time without having run; and the frozen one gives its place up at its own deadline, though
    /// its handler is still stuck, so the line moves on before the database thaws.
    @Test func theDeadlineCountsTheWaitInLine() async throws {
        try await withTestApp { t in
            let metrics = t.app.boxOffice.metrics
            let gate = RequestGateMiddleware(gate: RequestGate(limit: 1, metrics: metrics))
            let (app, loop) = (t.app, t.app.eventLoopGroup.next())
            let frozen = RequestDeadlineTests.Frozen(delay: .seconds(40))
            let prompt = RequestDeadlineTests.Frozen(delay: .milliseconds(1))
            let chain: @Sendable (TimeAmount, any AsyncResponder) async throws -> Response = { limit, responder in
                try await RequestDeadlineMiddleware(limit: limit, metrics: metrics).respond(
                    to: Request(application: app, method: .GET, url: "/movies", on: loop),
                    chainingTo: GateThen(gate: gate, next: responder))
            }
            let started = ContinuousClock.now
            async let stuck = try? chain(.seconds(10), frozen)  // in the one place; answered 503 at 10 s
            try await Task.sleep(for: .milliseconds(200))
            let error = await #expect(throws: APIError.self) { try await chain(.milliseconds(600), prompt) }
            #expect(error?.code == "request_timeout")
            #expect(ContinuousClock.now - started < .seconds(9), "the wait in line was not cut at 0.6 s")
            #expect(await stuck == nil)
            // The frozen handler still waits (40 s in all); its place was given up at its deadline.
            #expect(try await chain(.seconds(20), prompt).status == .ok)
            #expect(ContinuousClock.now - started < .seconds(35))
        }
    }

    struct GateThen: AsyncResponder {
        let gate: RequestGateMiddleware
        let next: any AsyncResponder
        func respond(to request: Request) async throws -> Response {
            try await gate.respond(to: request, chainingTo: next)
        }
    }

    @Test func theLimitIsConfigurable() throws {
        #expect(
            try AppConfig.load(from: [:], environment: .development).maxConcurrentRequests == 16 * System.coreCount)
        #expect(
            try AppConfig.load(from: ["MAX_CONCURRENT_REQUESTS": "0"], environment: .development)
                .maxConcurrentRequests == 0)
        #expect(throws: ConfigError.self) {
            _ = try AppConfig.load(from: ["MAX_CONCURRENT_REQUESTS": "-1"], environment: .development)
        }
    }
}
