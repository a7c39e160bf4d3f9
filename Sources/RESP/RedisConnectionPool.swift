import Logging
import NIOCore

/// Up to `maximumConnections` connections, opened on demand and lent out one caller at a time.
///
/// Exclusive leases keep callers apart: a slow or timed-out command closes only its own connection, and
/// ``RedisClient/withConnection(_:)`` can run `MULTI`/`EXEC` safely. A closed connection is dropped when it is
/// returned or found idle, which frees its slot; the next lease opens a fresh one, so the pool heals by itself
/// after Redis restarts. When all slots are leased, callers wait in FIFO order.
actor RedisConnectionPool {
    /// What a waiting caller is given: a healthy idle connection, or a free slot to open a connection in.
    private enum Grant: Sendable {
        case connection(RedisConnection)
        case slot
    }

    private let configuration: RedisConfiguration
    private let eventLoopGroup: any EventLoopGroup
    private let logger: Logger
    private var idle: [RedisConnection] = []
    /// Connections that exist or are being opened, leased or idle: never more than the maximum.
    private var openCount = 0
    private var waiters: [(id: UInt64, continuation: CheckedContinuation<Grant, any Error>)] = []
    private var nextWaiterID: UInt64 = 0
    private var isShutDown = false

    init(configuration: RedisConfiguration, eventLoopGroup: any EventLoopGroup, logger: Logger) {
        self.configuration = configuration
        self.eventLoopGroup = eventLoopGroup
        self.logger = logger
    }

    /// Connections open or being opened (for tests).
    var connectionCount: Int { openCount }

    /// Lends a connection; give it back with ``release(_:)`` whatever happened.
    func lease() async throws -> RedisConnection {
        guard !isShutDown else { throw RedisClientError.clientShutDown }
        while let connection = idle.popLast() {
            if !connection.isClosed { return connection }
            openCount -= 1
        }
        if openCount < max(configuration.maximumConnections, 1) {
            openCount += 1
            return try await open()
        }
        switch try await waitForGrant() {
        case .connection(let connection): return connection
        case .slot: return try await open()
        }
    }

    /// Takes a connection back: keeps it for the next caller, or drops it when it is closed.
    func release(_ connection: RedisConnection) {
        if connection.isClosed || isShutDown {
            connection.channel.close(promise: nil)
            freeSlot()
        } else if !waiters.isEmpty {
            waiters.removeFirst().continuation.resume(returning: .connection(connection))
        } else {
            idle.append(connection)
        }
    }

    /// Refuses new leases, fails waiting callers, and closes idle connections; leased ones close when returned.
    func shutdown() async {
        guard !isShutDown else { return }
        isShutDown = true
        for waiter in waiters { waiter.continuation.resume(throwing: RedisClientError.clientShutDown) }
        waiters.removeAll()
        let closing = idle
        idle.removeAll()
        openCount -= closing.count
        for connection in closing { await connection.close() }
    }

    /// Opens a connection in a slot already counted in `openCount`, and frees the slot if that fails.
    private func open() async throws -> RedisConnection {
        let connection: RedisConnection
        do {
            connection = try await RedisConnection.connect(
                configuration: configuration, eventLoopGroup: eventLoopGroup, logger: logger)
        } catch {
            freeSlot()
            throw error
        }
        // The actor was free while connecting: shutdown may have happened meanwhile.
        if isShutDown {
            await connection.close()
            openCount -= 1
            throw RedisClientError.clientShutDown
        }
        return connection
    }

    /// A slot became free: hand it to the longest waiting caller, who opens a connection in it (and so sees the
    /// connect error itself if Redis is down), or count it as free.
    private func freeSlot() {
        if waiters.isEmpty {
            openCount -= 1
        } else {
            waiters.removeFirst().continuation.resume(returning: .slot)
        }
    }

    private func waitForGrant() async throws -> Grant {
        let id = nextWaiterID
        nextWaiterID += 1
        return try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { continuation in
                waiters.append((id, continuation))
            }
        } onCancel: {
            Task { await self.cancelWaiter(id) }
        }
    }

    private func cancelWaiter(_ id: UInt64) {
        guard let index = waiters.firstIndex(where: { $0.id == id }) else { return }
        waiters.remove(at: index).continuation.resume(throwing: CancellationError())
    }
}
