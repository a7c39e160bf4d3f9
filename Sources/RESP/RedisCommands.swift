/// The remaining time to live of a key, from `PTTL`.
public enum RedisTTL: Sendable, Hashable {
    /// The key does not exist (`-2`).
    case noSuchKey
    /// The key exists and never expires (`-1`).
    case noExpiry
    /// The key expires after this many milliseconds.
    case milliseconds(Int)
}

/// Typed helpers for the commands BoxOffice uses. Each is one round trip; keys and values are UTF-8 text.
extension RedisCommandExecutor {
    /// `GET key`: the value, or `nil` when the key does not exist (or has expired).
    public func get(_ key: String) async throws -> String? {
        try await send(["GET", key]).string
    }

    /// `GET key` for binary values.
    public func getBytes(_ key: String) async throws -> [UInt8]? {
        try await send(["GET", key]).bytes
    }

    /// `SET key value [PX ms] [NX]`.
    ///
    /// - Parameters:
    ///   - expiresIn: sent as `PX`, in whole milliseconds rounded up (Redis refuses 0).
    ///   - onlyIfAbsent: sends `NX`: set only if the key does not exist yet.
    /// - Returns: `true` if the value was stored; `false` when `NX` found the key already there.
    @discardableResult
    public func set(
        _ key: String, to value: String, expiresIn: Duration? = nil, onlyIfAbsent: Bool = false
    ) async throws -> Bool {
        var arguments = ["SET", key, value]
        if let expiresIn { arguments += ["PX", String(expiresIn.wholeMillisecondsRoundedUp)] }
        if onlyIfAbsent { arguments.append("NX") }
        // +OK when stored; the null bulk string when NX refused.
        return try await !send(arguments).isNull
    }

    /// `DEL key…`: how many of the keys existed and were removed.
    @discardableResult
    public func delete(_ keys: [String]) async throws -> Int {
        guard !keys.isEmpty else { return 0 }
        return try await integer(["DEL"] + keys)
    }

    /// `EXISTS key…`: how many of the keys exist (a key named twice counts twice).
    public func exists(_ keys: [String]) async throws -> Int {
        guard !keys.isEmpty else { return 0 }
        return try await integer(["EXISTS"] + keys)
    }

    /// `PEXPIRE key ms`: `true` if the key exists and now expires after `ttl`.
    @discardableResult
    public func pexpire(_ key: String, after ttl: Duration) async throws -> Bool {
        try await integer(["PEXPIRE", key, String(ttl.wholeMillisecondsRoundedUp)]) == 1
    }

    /// `PTTL key`.
    public func pttl(_ key: String) async throws -> RedisTTL {
        switch try await integer(["PTTL", key]) {
        case -2: .noSuchKey
        case -1: .noExpiry
        case let milliseconds: .milliseconds(milliseconds)
        }
    }

    /// `INCR key`: the value after incrementing (a missing key counts as 0).
    @discardableResult
    public func incr(_ key: String) async throws -> Int {
        try await integer(["INCR", key])
    }

    /// `MGET key…`: one value per key, `nil` where a key does not exist.
    public func mget(_ keys: [String]) async throws -> [String?] {
        guard !keys.isEmpty else { return [] }
        let reply = try await send(["MGET"] + keys)
        guard let values = reply.array, values.count == keys.count else {
            throw RedisClientError.unexpectedReply(command: "MGET", reply: reply)
        }
        return values.map(\.string)
    }

    /// `PUBLISH channel message`: how many subscribers received it (on this server).
    @discardableResult
    public func publish(_ message: String, to channel: String) async throws -> Int {
        try await integer(["PUBLISH", channel, message])
    }

    /// `PING`: `"PONG"` from a healthy server; a cheap readiness check.
    public func ping() async throws -> String {
        let reply = try await send(["PING"])
        guard let text = reply.string else { throw RedisClientError.unexpectedReply(command: "PING", reply: reply) }
        return text
    }

    /// Sends a command whose reply must be an integer.
    func integer(_ arguments: [String]) async throws -> Int {
        let reply = try await send(arguments)
        guard case .integer(let number) = reply, let value = Int(exactly: number) else {
            throw RedisClientError.unexpectedReply(command: arguments[0], reply: reply)
        }
        return value
    }
}

extension Duration {
    /// Whole milliseconds, rounded up so that a positive duration never becomes 0 (which `PX` refuses).
    var wholeMillisecondsRoundedUp: Int64 {
        let (seconds, attoseconds) = components
        let perMillisecond: Int64 = 1_000_000_000_000_000
        let milliseconds = attoseconds / perMillisecond
        let remainder = attoseconds % perMillisecond
        return seconds * 1000 + milliseconds + (remainder > 0 ? 1 : 0)
    }
}
