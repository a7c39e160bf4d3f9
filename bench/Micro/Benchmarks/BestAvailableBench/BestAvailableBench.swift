import Benchmark
import Rules

let benchmarks: @Sendable () -> Void = {
    let configuration = Benchmark.Configuration(
        metrics: [.wallClock, .throughput, .mallocCountTotal], timeUnits: .microseconds,
        units: [.throughput: .count, .mallocCountTotal: .count], maxDuration: .seconds(2), maxIterations: 5_000)
    // 15 rows × 20 seats (4 | 12 | 4) and 25 rows × 40 seats (8 | 24 | 8), 40 % taken, scattered.
    let screens = [
        ("300 seats", layout(rows: 15, sections: [4, 12, 4], takenShare: 0.4, seed: 300)),
        ("1,000 seats", layout(rows: 25, sections: [8, 24, 8], takenShare: 0.4, seed: 1_000)),
    ]
    for (name, seats) in screens {
        for accessible in [false, true] {
            precondition(
                BestAvailable.choose(from: seats, count: 4, accessible: accessible)?.count == 4,
                "\(name): no block of 4 (accessible: \(accessible))")
            /// Picks the best block of 4 adjacent free seats (accessible: with a wheelchair space and companion).
            Benchmark(
                "BestAvailable: 4 of \(name), 40 % taken\(accessible ? ", accessible" : "")",
                configuration: configuration
            ) { benchmark in
                for _ in benchmark.scaledIterations {
                    blackHole(BestAvailable.choose(from: seats, count: 4, accessible: accessible))
                }
            }
        }
    }
}
