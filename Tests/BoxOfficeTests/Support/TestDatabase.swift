import FluentPostgresDriver
import Foundation
import Logging
import NIOPosix
@testable import BoxOffice

/// A database of its own for each test: a new SQLite file, or, when `TEST_DATABASE_URL` names a
/// PostgreSQL server, a new database on it (dropped afterwards), so suites run in parallel either way.
struct TestDatabase {
    let location: DatabaseLocation
    private let cleanup: @Sendable () async -> Void

    static var postgresBaseURL: String? {
        ProcessInfo.processInfo.environment["TEST_DATABASE_URL"].flatMap { $0.isEmpty ? nil : $0 }
    }

    static var isPostgres: Bool { postgresBaseURL != nil }

    static func make() async throws -> TestDatabase {
        guard let base = postgresBaseURL else { return try sqlite() }
        let name = "bxtest_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased()
        try await administer(base, "CREATE DATABASE \(name)")
        var parts = URLComponents(string: base)!
        parts.path = "/\(name)"
        return TestDatabase(location: .postgres(url: parts.string!)) {
            try? await administer(base, "DROP DATABASE IF EXISTS \(name) WITH (FORCE)")
        }
    }

    /// A new SQLite file, whatever `TEST_DATABASE_URL` says (a move from SQLite to PostgreSQL needs both).
    static func sqlite() throws -> TestDatabase {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("boxoffice-tests")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let path = directory.appendingPathComponent("\(UUID().uuidString).sqlite").path
        return TestDatabase(location: .sqlite(path: path)) {
            for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) }
        }
    }

    func drop() async { await cleanup() }

    private static func administer(_ url: String, _ statement: String) async throws {
        var configuration = try SQLPostgresConfiguration(url: url).coreConfiguration
        configuration.tls = .disable
        let logger = Logger(label: "test-database")
        let connection = try await PostgresConnection.connect(
            on: MultiThreadedEventLoopGroup.singleton.any(), configuration: configuration, id: 0, logger: logger)
        do {
            try await connection.query(PostgresQuery(unsafeSQL: statement), logger: logger)
        } catch {
            try? await connection.close()
            throw error
        }
        try await connection.close()
    }
}
