import Fluent
import RESP
import SQLKit
import Vapor

/// One dependency `/ready` asks about.
protocol ReadinessCheck: Sendable {
    var name: String { get }
    func check(_ request: Request) async throws
}

struct DatabaseReadiness: ReadinessCheck {
    let name = "database"

    func check(_ request: Request) async throws {
        let sql = try request.db.sql()
        _ = try await sql.raw("SELECT 1").all()
    }
}

/// `PING` through the app's own Redis client (the one seat holds use), within its command timeout.
struct RedisReadiness: ReadinessCheck {
    let name = "redis"
    let redis: RedisClient

    func check(_ request: Request) async throws {
        guard try await redis.ping() == "PONG" else { throw APIError.serviceUnavailable("Redis did not answer PING.") }
    }
}
