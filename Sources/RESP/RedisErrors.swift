/// An error reply from the Redis server (`-ERR …`, `-NOSCRIPT …`, `-WRONGTYPE …`).
///
/// The command reached the server and was refused; the connection is fine and stays in use.
public struct RESPError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The whole error line without the leading `-`, e.g. `NOSCRIPT No matching script.`.
    public var message: String

    public init(message: String) { self.message = message }

    /// The first word of the message, which Redis uses as a machine-readable prefix:
    /// `ERR`, `NOSCRIPT`, `WRONGTYPE`, `WRONGPASS`, `NOAUTH`, or the prefix a Lua script chose
    /// with `redis.error_reply("SEATS_TAKEN …")`.
    public var code: String {
        String(message.prefix { $0 != " " })
    }

    public var description: String { "Redis error: \(message)" }
}

/// A failure of the client or of the connection, as opposed to an error reply from the server.
public enum RedisClientError: Error, Sendable, Equatable, CustomStringConvertible {
    /// No TCP connection within the connect timeout.
    case connectTimeout(host: String, port: Int, after: Duration)
    /// The TCP connection was refused or failed (server down, wrong port, unreachable network).
    case connectionFailed(host: String, port: Int, reason: String)
    /// No reply within the command timeout. The connection was closed, because a reply that arrives
    /// later would be taken for the reply to the next command; the pool replaces it.
    case commandTimeout(after: Duration)
    /// The connection closed before the reply arrived; the command may or may not have run.
    case connectionClosed
    /// The server sent bytes that are not RESP2, or a reply nobody asked for; the connection was closed.
    case protocolError(String)
    /// The reply has another type than the command promises (e.g. `INCR` answering with a string).
    case unexpectedReply(command: String, reply: RESPValue)
    /// ``RedisClient/shutdown()`` was called.
    case clientShutDown
    /// In a cluster, the keys of one command are in different hash slots, so no node could run it; nothing was
    /// sent. Give the keys a common hash tag (`{show:42}:seats`, `{show:42}:holds`).
    case crossSlot(command: String)
    /// In a cluster, no node serves the key's slot (the cluster is down or being reconfigured); nothing was sent.
    case slotNotServed(Int)
    /// In a cluster, the command was redirected (`MOVED`/`ASK`) more often than a reconfiguration explains.
    case tooManyRedirects(command: String)
    /// ``RedisClient/withConnection(_:)`` was called on a cluster, where a connection is to one node only and
    /// holds only some keys: use ``RedisClient/withConnection(forKey:_:)``.
    case keyRequiredInCluster

    public var description: String {
        switch self {
        case .connectTimeout(let host, let port, let after):
            "could not connect to Redis at \(host):\(port) within \(after)"
        case .connectionFailed(let host, let port, let reason):
            "could not connect to Redis at \(host):\(port): \(reason)"
        case .commandTimeout(let after):
            "Redis did not reply within \(after); the connection was closed"
        case .connectionClosed:
            "the Redis connection closed before the reply arrived"
        case .protocolError(let detail):
            "Redis protocol error: \(detail)"
        case .unexpectedReply(let command, let reply):
            "unexpected reply to \(command): \(reply)"
        case .clientShutDown:
            "the Redis client has been shut down"
        case .crossSlot(let command):
            "the keys of \(command) are in different Redis Cluster slots; give them a common hash tag ({…})"
        case .slotNotServed(let slot):
            "no Redis Cluster node serves slot \(slot)"
        case .tooManyRedirects(let command):
            "\(command) was redirected too often by the Redis Cluster"
        case .keyRequiredInCluster:
            "a Redis Cluster connection serves some keys only: use withConnection(forKey:)"
        }
    }
}
