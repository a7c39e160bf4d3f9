@testable import Pricing

/// Worked examples of the discount spread and of slab choice (see `WorkedExamples.swift` for notation).
extension WorkedExample {
    static let spreading: [WorkedExample] = [
        // Floors: 1000 × 3333 / 10000 = 333.3 → 333; × 3334 → 333.4 → 333; 333. Σ 999: the 1 left goes to
        // the largest line, F2 (the middle one) → 334. Taxable 3000 each × 6 % = 180.
        WorkedExample(
            name: "the remainder paisa goes to the largest line",
            lines: [seat("F1", 3_333), seat("F2", 3_334), seat("F3", 3_333)],
            discount: .flat(1_000),
            want: [
                .init(bp: 600, share: 333, taxable: 3_000, cgst: 180, sgst: 180, total: 3_360),
                .init(bp: 600, share: 334, taxable: 3_000, cgst: 180, sgst: 180, total: 3_360),
                .init(bp: 600, share: 333, taxable: 3_000, cgst: 180, sgst: 180, total: 3_360),
            ],
            totals: .init(
                seats: 10_000, food: 0, subtotal: 10_000, discount: 1_000, taxable: 9_000,
                cgst: 540, sgst: 540, total: 10_080)),
        // Floors: 1000 × 1001 / 3003 = 333.3 → 333 each; Σ 999, the 1 left goes to the first of the tied lines.
        // 667 × 6 % = 40.02 → 40; 668 × 6 % = 40.08 → 40.
        WorkedExample(
            name: "ties: the remainder goes to the first of the largest lines",
            lines: [seat("G1", 1_001), seat("G2", 1_001), seat("G3", 1_001)],
            discount: .flat(1_000),
            want: [
                .init(bp: 600, share: 334, taxable: 667, cgst: 40, sgst: 40, total: 747),
                .init(bp: 600, share: 333, taxable: 668, cgst: 40, sgst: 40, total: 748),
                .init(bp: 600, share: 333, taxable: 668, cgst: 40, sgst: 40, total: 748),
            ],
            totals: .init(
                seats: 3_003, food: 0, subtotal: 3_003, discount: 1_000, taxable: 2_003,
                cgst: 120, sgst: 120, total: 2_243)),
        // Flat 4 over 2 + 1 + 1 + 1: floors 4×2/5 = 1.6 → 1, 4×1/5 = 0.8 → 0 (×3); Σ 1, 3 left.
        // H1 has room for 1 more (→ 2, taxable 0); the other 2 go to the next largest, the tied H2 then H3.
        // H4 keeps 1 paisa: 1 × 2.5 % = 0.025 → 0.
        WorkedExample(
            name: "a remainder bigger than the largest line's room spills to the next largest",
            lines: [food("H1", 2), food("H2", 1), food("H3", 1), food("H4", 1)],
            discount: .flat(4),
            want: [
                .init(bp: 250, share: 2, taxable: 0, cgst: 0, sgst: 0, total: 0),
                .init(bp: 250, share: 1, taxable: 0, cgst: 0, sgst: 0, total: 0),
                .init(bp: 250, share: 1, taxable: 0, cgst: 0, sgst: 0, total: 0),
                .init(bp: 250, share: 0, taxable: 1, cgst: 0, sgst: 0, total: 1),
            ],
            totals: .init(seats: 0, food: 5, subtotal: 5, discount: 4, taxable: 1, cgst: 0, sgst: 0, total: 1)),
        // A ₹0 seat is worth nothing, so it takes none of the discount: 1000 × 0 / 20000 = 0.
        // L2 19000 × 9 % = 1710.
        WorkedExample(
            name: "a complimentary seat takes no share of the discount",
            lines: [seat("L1", 0), seat("L2", 20_000)],
            discount: .flat(1_000),
            want: [
                .init(bp: 600, share: 0, taxable: 0, cgst: 0, sgst: 0, total: 0),
                .init(bp: 900, share: 1_000, taxable: 19_000, cgst: 1_710, sgst: 1_710, total: 22_420),
            ],
            totals: .init(
                seats: 20_000, food: 0, subtotal: 20_000, discount: 1_000, taxable: 19_000,
                cgst: 1_710, sgst: 1_710, total: 22_420)),
    ]

    static let slabs: [WorkedExample] = [
        // Undiscounted ₹110.00 picks the 9 % slab even though the taxable value is ₹90.00: 9000 × 9 % = 810.
        WorkedExample(
            name: "a single line: the slab follows the undiscounted ₹110, not the discounted ₹90",
            lines: [seat("J1", 11_000)],
            discount: .flat(2_000),
            want: [.init(bp: 900, share: 2_000, taxable: 9_000, cgst: 810, sgst: 810, total: 10_620)],
            totals: .init(
                seats: 11_000, food: 0, subtotal: 11_000, discount: 2_000, taxable: 9_000,
                cgst: 810, sgst: 810, total: 10_620)),
        // 10000 × 6 % = 600; 10001 × 9 % = 900.09 → 900.
        WorkedExample(
            name: "no discount: ₹100.00 is in the 6 % slab, ₹100.01 in the 9 % slab",
            lines: [seat("K1", 10_000), seat("K2", 10_001)],
            discount: nil,
            want: [
                .init(bp: 600, share: 0, taxable: 10_000, cgst: 600, sgst: 600, total: 11_200),
                .init(bp: 900, share: 0, taxable: 10_001, cgst: 900, sgst: 900, total: 11_801),
            ],
            totals: .init(
                seats: 20_001, food: 0, subtotal: 20_001, discount: 0, taxable: 20_001,
                cgst: 1_500, sgst: 1_500, total: 23_001)),
        // Each rate is applied on its own (a made-up 6 % + 5 % slab): 10000 × 6 % = 600, × 5 % = 500;
        // the line's ` Snacks ` matches the slab's `SNACKS`: categories compare trimmed and lower-cased.
        WorkedExample(
            name: "CGST and SGST rates are applied separately; categories match case-blind",
            lines: [food("samosa", 5_000, x: 2, gst: " Snacks ")],
            discount: nil,
            rules: [GSTRule(category: "SNACKS", cgstBasisPoints: 600, sgstBasisPoints: 500)],
            want: [.init(bp: 600, share: 0, taxable: 10_000, cgst: 600, sgst: 500, total: 11_100)],
            totals: .init(
                seats: 0, food: 10_000, subtotal: 10_000, discount: 0, taxable: 10_000,
                cgst: 600, sgst: 500, total: 11_100)),
    ]
}
