import Foundation

@testable import BoxOffice

/// Two instances on one fresh database and one Redis (`TEST_REDIS_URL`, under a key prefix of their own), each
/// built as `withTestApp` builds one; the database is dropped even when the test throws.
func withTwoInstances(
    configure adjust: @escaping @Sendable (inout AppConfig) -> Void = { _ in },
    _ test: (TestApp, TestApp) async throws -> Void
) async throws {
    let database = try await TestDatabase.make()
    let prefix = "bxtest:\(UUID().uuidString):"
    let shared: (inout AppConfig) -> Void = {
        $0.redisURL = RedisURL(RedisTestServer.url!)
        $0.redisKeyPrefix = prefix
        adjust(&$0)
    }
    do {
        try await withTestDatabase(database, configure: shared) { a in
            try await withTestDatabase(database, configure: shared) { b in try await test(a, b) }
        }
    } catch {
        await database.drop()
        throw error
    }
    await database.drop()
}
