// swift-tools-version:6.1
import PackageDescription

let package = Package(
    name: "boxoffice",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "boxoffice", targets: ["BoxOfficeMain"]),
        .library(name: "BoxOffice", targets: ["BoxOffice"]),
        .executable(name: "bench-baseline", targets: ["BenchBaseline"]),
        // The pure targets, for the micro-benchmarks in bench/Micro.
        .library(name: "Pricing", targets: ["Pricing"]),
        .library(name: "Rules", targets: ["Rules"]),
        .library(name: "HoldStore", targets: ["HoldStore"]),
    ],
    dependencies: [
        .package(url: "https://github.com/vapor/vapor.git", from: "4.122.0"),
        .package(url: "https://github.com/vapor/fluent.git", from: "4.13.0"),
        .package(url: "https://github.com/vapor/fluent-sqlite-driver.git", from: "4.9.0"),
        .package(url: "https://github.com/vapor/fluent-postgres-driver.git", from: "2.14.0"),
        .package(url: "https://github.com/vapor/jwt.git", from: "5.2.0"),
        .package(url: "https://github.com/mattpolzin/OpenAPIKit.git", from: "6.4.0", traits: []),
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.81.0"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.6.0"),
        .package(url: "https://github.com/apple/swift-metrics.git", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus.git", from: "2.4.1"),
        .package(url: "https://github.com/weichsel/ZIPFoundation.git", from: "0.9.20"),
        .package(url: "https://github.com/swift-server/async-http-client.git", from: "1.37.0"),
    ],
    targets: [
        .target(
            name: "BoxOffice",
            dependencies: [
                .product(name: "Vapor", package: "vapor"),
                .product(name: "Fluent", package: "fluent"),
                .product(name: "FluentSQLiteDriver", package: "fluent-sqlite-driver"),
                .product(name: "FluentPostgresDriver", package: "fluent-postgres-driver"),
                .product(name: "JWT", package: "jwt"),
                .product(name: "OpenAPIKit", package: "OpenAPIKit"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOWebSocket", package: "swift-nio"),
                .product(name: "CoreMetrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "ZIPFoundation", package: "ZIPFoundation"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .target(name: "RESP"),
                .target(name: "Pricing"),
                .target(name: "Rules"),
                .target(name: "HoldStore"),
            ]
        ),
        // The clock and the single-instance seat hold store: Foundation only, so micro-benchmarks build it alone.
        .target(name: "HoldStore"),
        // Test doubles shared by the test targets (the manual clock); never linked into the server.
        .target(
            name: "TestSupport",
            dependencies: [
                .target(name: "HoldStore"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
            ],
            path: "Tests/TestSupport"
        ),
        // Pure booking rules: best seats, refund tiers, status moves, discount eligibility, free slots.
        .target(name: "Rules"),
        .testTarget(name: "RulesTests", dependencies: [.target(name: "Rules")]),
        // Pure pricing rules: money in minor units, discounts, GST. No Vapor, no database.
        .target(name: "Pricing"),
        .testTarget(name: "PricingTests", dependencies: [.target(name: "Pricing")]),
        // Our own small Redis (RESP2) client: no Vapor, so it compiles fast and tests alone.
        .target(
            name: "RESP",
            dependencies: [
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .testTarget(
            name: "RESPTests",
            dependencies: [
                .target(name: "RESP"),
                .product(name: "NIOEmbedded", package: "swift-nio"),
            ]
        ),
        // The benchmarks' baseline: a plain Vapor JSON route, measured in the same run as the server.
        .executableTarget(
            name: "BenchBaseline",
            dependencies: [.product(name: "Vapor", package: "vapor")],
            path: "bench/Baseline"
        ),
        .executableTarget(
            name: "BoxOfficeMain",
            dependencies: [.target(name: "BoxOffice")]
        ),
        .testTarget(
            name: "BoxOfficeTests",
            dependencies: [
                .target(name: "BoxOffice"),
                .target(name: "Rules"),
                .target(name: "TestSupport"),
                .product(name: "VaporTesting", package: "vapor"),
            ]
        ),
    ],
    swiftLanguageModes: [.v6]
)
