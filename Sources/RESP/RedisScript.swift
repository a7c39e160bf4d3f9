/// A Lua script and its SHA-1, for `EVALSHA`.
///
/// Declare scripts once, as constants; the SHA-1 is computed here, so running a script normally costs one
/// `EVALSHA` round trip and sends only the hash.
public struct RedisScript: Sendable, Hashable {
    /// The Lua source.
    public let source: String
    /// The lower-case hex SHA-1 of ``source``, the name Redis gives the script.
    public let sha1: String

    public init(_ source: String) {
        self.source = source
        self.sha1 = SHA1.hexDigest(source.utf8)
    }
}

extension RedisCommandExecutor {
    /// Runs `script` with `EVALSHA`; if the server does not know it (`NOSCRIPT`: first use, after a restart or a
    /// `SCRIPT FLUSH`), runs it with `EVAL` and its source instead, which also caches it for the next `EVALSHA`.
    ///
    /// `EVAL` rather than `SCRIPT LOAD` then `EVALSHA`: another client's `SCRIPT FLUSH` could land between those
    /// two and fail the call again, while `EVAL` loads and runs in one atomic step.
    ///
    /// Pass every key the script touches in `keys` (as `KEYS[i]`) and everything else in `arguments`
    /// (`ARGV[i]`). An error the script raises (`redis.error_reply("CODE …")`, or a failing `redis.call`) is
    /// thrown as ``RESPError``.
    public func evalSHA(_ script: RedisScript, keys: [String] = [], arguments: [String] = []) async throws
        -> RESPValue
    {
        let parameters = [String(keys.count)] + keys + arguments
        do {
            return try await send(["EVALSHA", script.sha1] + parameters)
        } catch let error as RESPError where error.code == "NOSCRIPT" {
            return try await send(["EVAL", script.source] + parameters)
        }
    }

    /// `SCRIPT LOAD`: compiles and caches `script` on the server. Optional (``evalSHA(_:keys:arguments:)`` loads
    /// on demand), but calling it at start-up turns a Lua syntax error into a boot failure instead of a failed
    /// request.
    public func load(_ script: RedisScript) async throws {
        let reply = try await send(["SCRIPT", "LOAD", script.source])
        guard reply.string == script.sha1 else {
            throw RedisClientError.unexpectedReply(command: "SCRIPT LOAD", reply: reply)
        }
    }
}
