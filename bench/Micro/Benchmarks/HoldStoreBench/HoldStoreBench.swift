import Benchmark
import Foundation
import HoldStore

/// A store as a busy evening leaves it: 20,000 live holds of 1–3 seats, 100 at each of 200 shows of
/// 300 seats (199 seats held per show), and 5,000 users with 4 holds each at different shows.
struct BusyEvening {
    static let shows = 200
    static let seatsPerShow = 300
    static let holdsPerShow = 100
    static let users = 5_000
    static let limit = 10

    let store: InProcessSeatHoldStore
    let start: Date
    /// Seat ids per show; the first `heldPerShow` are taken by the store's holds.
    let seats: [[UUID]]
    let heldPerShow: Int

    static func make() async -> BusyEvening {
        let start = Date(timeIntervalSince1970: 1_800_000_000)
        let store = InProcessSeatHoldStore(clock: FixedClock(date: start))
        let seats = (0..<shows).map { show in (0..<seatsPerShow).map { id(2, show * seatsPerShow + $0) } }
        var heldPerShow = 0
        for show in 0..<shows {
            var next = 0
            for index in 0..<holdsPerShow {
                let number = show * holdsPerShow + index
                let count = 1 + index % 3
                let hold = SeatHold(
                    id: id(3, number), showId: id(1, show), userId: id(4, number % users),
                    seatIds: Array(seats[show][next..<(next + count)]), createdAt: start,
                    expiresAt: start + 600)
                next += count
                guard case .held = await store.place(hold, limit: limit) else {
                    fatalError("setup: \(number) not held")
                }
            }
            heldPerShow = next
        }
        return BusyEvening(store: store, start: start, seats: seats, heldPerShow: heldPerShow)
    }

    /// The `n`th new one-seat hold: the next free seat of show `n % 200`, for user `n % 5000`.
    func newHold(_ n: Int) -> SeatHold {
        let show = n % Self.shows
        return SeatHold(
            id: id(5, n), showId: id(1, show), userId: id(4, n % Self.users),
            seatIds: [seats[show][heldPerShow + n / Self.shows]], createdAt: start, expiresAt: start + 600)
    }
}

/// Counts the holds placed so far, so each iteration takes a seat nobody holds.
final class Counter {
    var value = 0
}

/// `00000000-0000-0000-<kind>-<n>`: readable, deterministic ids.
func id(_ kind: UInt8, _ n: Int) -> UUID {
    let v = UInt64(n)
    func byte(_ shift: UInt64) -> UInt8 { UInt8(truncatingIfNeeded: v >> shift) }
    return UUID(uuid: (0, 0, 0, 0, 0, 0, 0, 0, kind, 0, byte(40), byte(32), byte(24), byte(16), byte(8), byte(0)))
}

let benchmarks: @Sendable () -> Void = {
    /// Wall clock, throughput and mallocs, for up to 2 s or `iterations`.
    func configuration(_ timeUnits: BenchmarkTimeUnits, iterations: Int) -> Benchmark.Configuration {
        .init(
            metrics: [.wallClock, .throughput, .mallocCountTotal], timeUnits: timeUnits,
            units: [.throughput: .count, .mallocCountTotal: .count], maxDuration: .seconds(2), maxIterations: iterations
        )
    }
    // At most 100 × 200 = 20,000 new holds fit in the free seats: stay well below, warm-up included.
    let placements = 10_000

    /// Places a one-seat hold of a free seat: the user's cap check, the seat check and three index writes.
    Benchmark(
        "HoldStore: place a 1-seat hold, 20,000 holds in the store",
        configuration: configuration(.nanoseconds, iterations: placements)
    ) { benchmark, state in
        let (evening, counter) = state
        for _ in benchmark.scaledIterations {
            let hold = evening.newHold(counter.value)
            counter.value += 1
            benchmark.startMeasurement()
            let outcome = await evening.store.place(hold, limit: BusyEvening.limit)
            benchmark.stopMeasurement()
            guard case .held = outcome else { fatalError("hold \(counter.value) not held: \(outcome)") }
        }
    } setup: {
        (await BusyEvening.make(), Counter())
    }

    /// Reads a 300-seat show's 100 live holds, as every seat map and best-available request does.
    Benchmark(
        "HoldStore: holds(forShow:), 100 holds of 300 seats",
        configuration: configuration(.microseconds, iterations: 20_000)
    ) { benchmark, evening in
        for _ in benchmark.scaledIterations {
            blackHole(await evening.store.holds(forShow: id(1, 0)))
        }
    } setup: {
        await BusyEvening.make()
    }

    /// Reads one user's 4 live holds ("my holds") out of the 20,000 in the store.
    Benchmark(
        "HoldStore: holds(forUser:), 4 of 20,000 holds",
        configuration: configuration(.nanoseconds, iterations: 20_000)
    ) { benchmark, evening in
        for _ in benchmark.scaledIterations {
            blackHole(await evening.store.holds(forUser: id(4, 42)))
        }
    } setup: {
        await BusyEvening.make()
    }
}

/// The evening's time, standing still: the holds never expire during a run.
struct FixedClock: AppClock {
    let date: Date
    func now() -> Date { date }
}
