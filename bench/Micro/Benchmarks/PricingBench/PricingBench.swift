import Benchmark
import Pricing

/// India's slabs, as the demo seeds them: tickets 6 % + 6 % up to ₹100.00, 9 % + 9 % above; food 2.5 % + 2.5 %.
let indiaGST = [
    GSTRule(category: "ticket", cgstBasisPoints: 600, sgstBasisPoints: 600, minUnitPrice: 0, maxUnitPrice: 10_000),
    GSTRule(category: "ticket", cgstBasisPoints: 900, sgstBasisPoints: 900, minUnitPrice: 10_001),
    GSTRule(category: "food", cgstBasisPoints: 250, sgstBasisPoints: 250, minUnitPrice: 0),
]

/// A typical cart: two Gold seats at ₹250 (18 % slab), two Silver at ₹90 (12 % slab), and three food lines.
let typicalCart: [PriceLine] = [
    .seat(id: "K7", description: "Gold K7", price: 25_000),
    .seat(id: "K8", description: "Gold K8", price: 25_000),
    .seat(id: "D3", description: "Silver D3", price: 9_000),
    .seat(id: "D4", description: "Silver D4", price: 9_000),
    .food(id: "popcorn-l", description: "Popcorn (large)", unitPrice: 32_000, quantity: 2, gstCategory: "food"),
    .food(id: "cola-m", description: "Cola (medium)", unitPrice: 18_000, quantity: 2, gstCategory: "food"),
    .food(id: "nachos", description: "Nachos", unitPrice: 24_000, quantity: 1, gstCategory: "food"),
]

let benchmarks: @Sendable () -> Void = {
    /// Quotes the typical cart with a flat ₹100 promo code: the discount spread, slab lookup and GST per line.
    Benchmark(
        "Pricing: quote 4 seats (2 categories) + 3 food, flat discount",
        configuration: .init(
            metrics: [.wallClock, .throughput, .mallocCountTotal], timeUnits: .microseconds,
            units: [.throughput: .count, .mallocCountTotal: .count], maxDuration: .seconds(2), maxIterations: 10_000)
    ) { benchmark in
        blackHole(try PriceCalculator.quote(lines: typicalCart, discount: .flat(10_000), gst: indiaGST))
    }
}
