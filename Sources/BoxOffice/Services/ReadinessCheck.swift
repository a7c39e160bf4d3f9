import Fluent
import NIOCore
import NIOPosix
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
        guard let sql = request.db as? any SQLDatabase else { return }
        _ = try await sql.raw("SELECT 1").all()
    }
}

/// Sends `PING` over a fresh connection and expects `+PONG` (or `-NOAUTH`, which still proves Redis is up).
/// The seat-holds work replaces this with the RESP client's own pool.
struct RedisReadiness: ReadinessCheck {
    let name = "redis"
    let url: RedisURL
    var timeout: TimeAmount = .milliseconds(500)

    func check(_ request: Request) async throws {
        let channel = try await ClientBootstrap(group: request.eventLoop)
            .connectTimeout(timeout)
            .connect(host: url.host, port: url.port) { channel in
                channel.eventLoop.makeCompletedFuture {
                    try NIOAsyncChannel<ByteBuffer, ByteBuffer>(wrappingChannelSynchronously: channel)
                }
            }
        try await withThrowingTaskGroup(of: Bool.self) { group in
            group.addTask {
                try await channel.executeThenClose { inbound, outbound in
                    try await outbound.write(ByteBuffer(string: "PING\r\n"))
                    for try await var reply in inbound {
                        let text = reply.readString(length: reply.readableBytes) ?? ""
                        return text.hasPrefix("+PONG") || text.hasPrefix("-NOAUTH")
                    }
                    return false
                }
            }
            group.addTask {
                try await Task.sleep(for: .milliseconds(Int64(timeout.nanoseconds / 1_000_000)))
                return false
            }
            let answered = try await group.next() ?? false
            group.cancelAll()
            try? await channel.channel.close()
            guard answered else { throw APIError.serviceUnavailable("Redis did not answer PING.") }
        }
    }
}
