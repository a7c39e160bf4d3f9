/// Something that runs Redis commands: a ``RedisConnection`` or the pooled ``RedisClient``.
///
/// The typed helpers (`get`, `set`, `evalSHA`, …) are written once, on this protocol, so code that needs Redis can
/// take `any RedisCommandExecutor` and work with either.
public protocol RedisCommandExecutor: Sendable {
    /// Sends one command and returns its reply. An error reply is thrown as ``RESPError``; a connection failure
    /// or timeout as ``RedisClientError``. `timeout` overrides the configured command timeout (needed for blocking
    /// commands such as `BLPOP`).
    func send(_ command: RESPCommand, timeout: Duration?) async throws -> RESPValue

    /// Writes all commands at once on one connection and returns their replies in the same order. Error replies
    /// come back in place as ``RESPValue/error(_:)``. `timeout` covers the whole batch.
    func pipeline(_ commands: [RESPCommand], timeout: Duration?) async throws -> [RESPValue]
}

extension RedisCommandExecutor {
    /// Sends one command with the configured timeout.
    public func send(_ command: RESPCommand) async throws -> RESPValue {
        try await send(command, timeout: nil)
    }

    /// Sends a command given as text, e.g. `send(["HSET", "h", "f", "v"])`.
    public func send(_ arguments: [String], timeout: Duration? = nil) async throws -> RESPValue {
        try await send(RESPCommand(arguments), timeout: timeout)
    }

    /// Pipelines commands with the configured timeout.
    public func pipeline(_ commands: [RESPCommand]) async throws -> [RESPValue] {
        try await pipeline(commands, timeout: nil)
    }

    /// Pipelines commands given as text, e.g. `pipeline([["INCR", "a"], ["GET", "b"]])`.
    public func pipeline(_ commands: [[String]], timeout: Duration? = nil) async throws -> [RESPValue] {
        try await pipeline(commands.map(RESPCommand.init), timeout: timeout)
    }
}
