// swift-tools-version:6.1
// Micro-benchmarks of BoxOffice's pure code (issue 12): pricing, best-available seats, the seat hold store.
// A package of its own, so ordo-one/benchmark and its malloc interposer never reach the server's build.
// Run them with `bench/Micro/run`.
import PackageDescription

let package = Package(
    name: "BoxOfficeMicroBenchmarks",
    platforms: [.macOS(.v13)],
    dependencies: [
        .package(name: "boxoffice", path: "../.."),
        .package(url: "https://github.com/ordo-one/benchmark", from: "1.38.1", traits: ["MallocInterposer"]),
    ],
    targets: [
        benchmark("PricingBench", using: "Pricing"),
        benchmark("BestAvailableBench", using: "Rules"),
        benchmark("HoldStoreBench", using: "HoldStore"),
    ],
    swiftLanguageModes: [.v6]
)

/// One benchmark suite: an executable in Benchmarks/<name>, built with package-benchmark's plugin.
func benchmark(_ name: String, using product: String) -> Target {
    .executableTarget(
        name: name,
        dependencies: [
            .product(name: "Benchmark", package: "benchmark"),
            .product(name: product, package: "boxoffice"),
        ],
        path: "Benchmarks/\(name)",
        plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
    )
}
