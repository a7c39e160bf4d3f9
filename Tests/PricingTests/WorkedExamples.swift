@testable import Pricing

/// The table of worked examples. Rates: `indiaGST` (tickets 6 % up to ₹100.00, 9 % above; food 2.5 %),
/// CGST and SGST each. `⌊x⌉` is half-up rounding to the paisa. All amounts in paise.
extension WorkedExample {
    static let all = discounts + rounding + spreading + slabs

    static let discounts: [WorkedExample] = [
        // Subtotal 10000 + 25000 + 15000×2 = 65000; 10 % = 6500, capped at 5000.
        // Floors: 5000×10000/65000 = 769.2 → 769; ×25000 → 1923.1 → 1923; ×30000 → 2307.7 → 2307;
        // Σ 4999, the 1 paisa left goes to the largest line (popcorn) → 2308.
        // A1 9231 × 6 % = 553.86 → 554; A2 23077 × 9 % = 2076.93 → 2077; popcorn 27692 × 2.5 % = 692.3 → 692.
        WorkedExample(
            name: "₹100 seat at 12 %, ₹250 seat at 18 %, popcorn ×2 at 5 %, 10 % off capped at ₹50",
            lines: [seat("A1", 10_000), seat("A2", 25_000), food("popcorn", 15_000, x: 2)],
            discount: .percent(basisPoints: 1_000, cap: 5_000),
            want: [
                .init(bp: 600, share: 769, taxable: 9_231, cgst: 554, sgst: 554, total: 10_339),
                .init(bp: 900, share: 1_923, taxable: 23_077, cgst: 2_077, sgst: 2_077, total: 27_231),
                .init(bp: 250, share: 2_308, taxable: 27_692, cgst: 692, sgst: 692, total: 29_076),
            ],
            totals: .init(
                seats: 35_000, food: 30_000, subtotal: 65_000, discount: 5_000, taxable: 60_000,
                cgst: 3_323, sgst: 3_323, total: 66_646)),
        // 5 % of 35000 = 1750, under the ₹50 cap. Shares 1750×15000/35000 = 750 and ×20000 → 1000, exact.
        // Seat 14250 × 9 % = 1282.5 → 1283 (the .5 goes up); food 19000 × 2.5 % = 475.
        WorkedExample(
            name: "5 % off under its cap; a .5 paisa of GST after the discount rounds up",
            lines: [seat("B1", 15_000), food("nachos", 20_000)],
            discount: .percent(basisPoints: 500, cap: 5_000),
            want: [
                .init(bp: 900, share: 750, taxable: 14_250, cgst: 1_283, sgst: 1_283, total: 16_816),
                .init(bp: 250, share: 1_000, taxable: 19_000, cgst: 475, sgst: 475, total: 19_950),
            ],
            totals: .init(
                seats: 15_000, food: 20_000, subtotal: 35_000, discount: 1_750, taxable: 33_250,
                cgst: 1_758, sgst: 1_758, total: 36_766)),
        // Flat 20000 on a 13000 cart is clamped to 13000: every line's share is its whole value.
        WorkedExample(
            name: "a flat ₹200 off a ₹130 cart is clamped: total 0",
            lines: [seat("C1", 8_000), food("cola", 5_000)],
            discount: .flat(20_000),
            want: [
                .init(bp: 600, share: 8_000, taxable: 0, cgst: 0, sgst: 0, total: 0),
                .init(bp: 250, share: 5_000, taxable: 0, cgst: 0, sgst: 0, total: 0),
            ],
            totals: .init(
                seats: 8_000, food: 5_000, subtotal: 13_000, discount: 13_000, taxable: 0,
                cgst: 0, sgst: 0, total: 0)),
        // 100 % of 65000 = 65000; 65000 × g / 65000 = g exactly, no remainder.
        WorkedExample(
            name: "100 % off: every line's taxable is 0",
            lines: [seat("A1", 10_000), seat("A2", 25_000), food("popcorn", 15_000, x: 2)],
            discount: .percent(basisPoints: 10_000),
            want: [
                .init(bp: 600, share: 10_000, taxable: 0, cgst: 0, sgst: 0, total: 0),
                .init(bp: 900, share: 25_000, taxable: 0, cgst: 0, sgst: 0, total: 0),
                .init(bp: 250, share: 30_000, taxable: 0, cgst: 0, sgst: 0, total: 0),
            ],
            totals: .init(
                seats: 35_000, food: 30_000, subtotal: 65_000, discount: 65_000, taxable: 0,
                cgst: 0, sgst: 0, total: 0)),
        // 10 % of 12345 = 1234.5 → 1235. Taxable 11110 × 2.5 % = 277.75 → 278.
        WorkedExample(
            name: "10 % of ₹123.45 is ₹12.35 (half-up)",
            lines: [food("popcorn", 12_345)],
            discount: .percent(basisPoints: 1_000),
            want: [.init(bp: 250, share: 1_235, taxable: 11_110, cgst: 278, sgst: 278, total: 11_666)],
            totals: .init(
                seats: 0, food: 12_345, subtotal: 12_345, discount: 1_235, taxable: 11_110,
                cgst: 278, sgst: 278, total: 11_666)),
    ]

    static let rounding: [WorkedExample] = [
        // 8345 × 6 % = 500.7 → 501; 9975 × 6 % = 598.5 → 599 (half-even would give 598);
        // 10050 × 9 % = 904.5 → 905.
        WorkedExample(
            name: "seat GST half-up: 500.7, 598.5 and 904.5",
            lines: [seat("D1", 8_345), seat("D2", 9_975), seat("D3", 10_050)],
            discount: nil,
            want: [
                .init(bp: 600, share: 0, taxable: 8_345, cgst: 501, sgst: 501, total: 9_347),
                .init(bp: 600, share: 0, taxable: 9_975, cgst: 599, sgst: 599, total: 11_173),
                .init(bp: 900, share: 0, taxable: 10_050, cgst: 905, sgst: 905, total: 11_860),
            ],
            totals: .init(
                seats: 28_370, food: 0, subtotal: 28_370, discount: 0, taxable: 28_370,
                cgst: 2_005, sgst: 2_005, total: 32_380)),
        // 12345 × 2.5 % = 308.625 → 309; 12340 × 2.5 % = 308.5 → 309; 12335 × 2.5 % = 308.375 → 308.
        WorkedExample(
            name: "food GST half-up: 308.625, 308.5 and 308.375",
            lines: [food("popcorn", 12_345), food("nachos", 12_340), food("fries", 12_335)],
            discount: nil,
            want: [
                .init(bp: 250, share: 0, taxable: 12_345, cgst: 309, sgst: 309, total: 12_963),
                .init(bp: 250, share: 0, taxable: 12_340, cgst: 309, sgst: 309, total: 12_958),
                .init(bp: 250, share: 0, taxable: 12_335, cgst: 308, sgst: 308, total: 12_951),
            ],
            totals: .init(
                seats: 0, food: 37_020, subtotal: 37_020, discount: 0, taxable: 37_020,
                cgst: 926, sgst: 926, total: 38_872)),
        // One open 6 % ticket slab: 12345 × 6 % = 740.7 → 741.
        WorkedExample(
            name: "a single open 6 % ticket slab: 12345 × 6 % = 740.7 → 741",
            lines: [seat("E1", 12_345)],
            discount: nil,
            rules: [GSTRule(category: "ticket", cgstBasisPoints: 600, sgstBasisPoints: 600)],
            want: [.init(bp: 600, share: 0, taxable: 12_345, cgst: 741, sgst: 741, total: 13_827)],
            totals: .init(
                seats: 12_345, food: 0, subtotal: 12_345, discount: 0, taxable: 12_345,
                cgst: 741, sgst: 741, total: 13_827)),
        // Rounded per line: 308.5 → 309 twice = 618, where 24680 × 2.5 % on the sum would be 617.
        WorkedExample(
            name: "GST is rounded per line: two ₹123.40 lines pay 618 each way",
            lines: [food("nachos", 12_340), food("popcorn", 12_340)],
            discount: nil,
            want: [
                .init(bp: 250, share: 0, taxable: 12_340, cgst: 309, sgst: 309, total: 12_958),
                .init(bp: 250, share: 0, taxable: 12_340, cgst: 309, sgst: 309, total: 12_958),
            ],
            totals: .init(
                seats: 0, food: 24_680, subtotal: 24_680, discount: 0, taxable: 24_680,
                cgst: 618, sgst: 618, total: 25_916)),
        // The same food as one line of quantity 2: 24680 × 2.5 % = 617 exactly.
        WorkedExample(
            name: "the same food as one line ×2 pays 617 each way",
            lines: [food("nachos", 12_340, x: 2)],
            discount: nil,
            want: [.init(bp: 250, share: 0, taxable: 24_680, cgst: 617, sgst: 617, total: 25_914)],
            totals: .init(
                seats: 0, food: 24_680, subtotal: 24_680, discount: 0, taxable: 24_680,
                cgst: 617, sgst: 617, total: 25_914)),
    ]
}
