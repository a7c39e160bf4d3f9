import Logging
import NIOCore

/// Runs commands on a Redis Cluster for ``RedisClient``: each goes to the master that serves its keys' slot.
///
/// A command is tried again only when it cannot have run: its node could not be connected to, no node serves its
/// slot yet, or the node declined it with a redirect (`MOVED`, `ASK`, `TRYAGAIN`, `CLUSTERDOWN`). Between tries
/// the map is refreshed, and where the cluster needs time (a failover, a migration) the router pauses briefly; it
/// gives up when the command's time budget (its timeout, else the configured command timeout) is spent, or after
/// ``maximumRedirects`` redirects. A command that failed after it was sent (no reply in time, connection lost) is
/// not tried again, as with a single server, because it may have run; its node may have died, though, so the
/// map is refreshed in the background for the next command.
final class RedisClusterRouter: Sendable {
    /// Where a command is headed.
    enum Target: Sendable {
        case slot(Int)
        case anyMaster
        /// The node a redirect named for this slot.
        case redirected(RedisNodeAddress, slot: Int)
    }

    /// More redirects than a migration or a failover explains means the map keeps changing under us.
    static let maximumRedirects = 5
    /// How long to wait before trying again where the cluster needs time: a failover takes about a second.
    static let retryPause: Duration = .milliseconds(100)

    let configuration: RedisConfiguration
    let topology: RedisClusterTopology
    let eventLoopGroup: any EventLoopGroup
    let logger: Logger

    init(configuration: RedisConfiguration, eventLoopGroup: any EventLoopGroup, logger: Logger) {
        self.configuration = configuration
        self.eventLoopGroup = eventLoopGroup
        self.logger = logger
        self.topology = RedisClusterTopology(
            configuration: configuration, eventLoopGroup: eventLoopGroup, logger: logger)
    }

    /// Sends `command` where its keys live and returns its reply; an error reply is returned in place.
    func send(_ command: RESPCommand, timeout: Duration?) async throws -> RESPValue {
        switch try RedisClusterRoute(command) {
        case .everyMaster: try await broadcast(command, timeout: timeout)
        case .anyMaster: try await execute(command, at: .anyMaster, timeout: timeout)
        case .slot(let slot): try await execute(command, at: .slot(slot), timeout: timeout)
        }
    }

    /// Sends one command to `target`, following redirects, and returns its reply (an error reply in place).
    func execute(_ command: RESPCommand, at target: Target, timeout: Duration?) async throws -> RESPValue {
        let deadline = deadline(timeout)
        var next = target
        var asking = false
        var redirects = 0
        while true {
            let (node, connection) = try await lease(next, until: deadline)
            // ASKING lets the importing node run the command once; both must share the connection.
            let commands = asking ? [RESPCommand(["ASKING"]), command] : [command]
            let replies = try await run(commands, on: connection, of: node, timeout: timeout)
            guard let reply = replies.last else {
                throw RedisClientError.unexpectedReply(command: command.name, reply: .array([]))
            }
            guard let message = reply.errorMessage,
                let redirect = RedisClusterRedirect(errorMessage: message, sender: node.address)
            else { return reply }
            switch redirect {
            case .moved(let slot, let address):
                await topology.moved(slot: slot, to: address)
                (next, asking) = (.redirected(address, slot: slot), false)
            case .ask(let slot, let address):
                (next, asking) = (.redirected(address, slot: slot), true)
            case .retryLater:
                // The cluster is failing over or migrating: ask again where the (refreshed) map says, if time is left.
                await topology.refreshInBackground()
                guard try await pause(until: deadline) else { return reply }
                (next, asking) = (target, false)
                continue
            }
            redirects += 1
            guard redirects <= Self.maximumRedirects else {
                throw RedisClientError.tooManyRedirects(command: command.name)
            }
        }
    }

    /// Leases a connection to the node `target` names. While no node can be reached (or none serves the slot),
    /// refreshes the map and tries again after a pause, until `deadline`; then throws the last connect error.
    func lease(
        _ target: Target, until deadline: ContinuousClock.Instant
    ) async throws -> (RedisClusterNode, RedisConnection) {
        var target = target
        var unreachable: Set<RedisNodeAddress> = []
        while true {
            var address: RedisNodeAddress?
            do {
                let node = try await node(for: target, avoiding: unreachable)
                address = node.address
                return (node, try await node.pool.lease())
            } catch let error as RedisClientError where error.meansNothingWasSent {
                // A pool retired by a refresh says `clientShutDown` too; only the client's own shutdown is final.
                if error == .clientShutDown, await topology.isShutDown { throw error }
                logger.debug(
                    "Redis Cluster node unreachable; refreshing the map",
                    metadata: ["node": "\(address.map(\.description) ?? "?")", "error": "\(error)"])
                if let address { unreachable.insert(address) }
                // A redirect's node is gone: back to the map, which the refresh brings up to date.
                if case .redirected(_, let slot) = target { target = .slot(slot) }
                try? await topology.refresh(avoiding: address)
                // A failover the refresh found, or another master for a keyless command: no need to wait.
                if await hasAlternative(to: target, besides: unreachable), ContinuousClock.now < deadline { continue }
                guard try await pause(until: deadline) else { throw error }
            }
        }
    }

    /// Whether the map names a node for `target` that has not failed yet. At most one per master, so trying
    /// again at once cannot spin.
    private func hasAlternative(to target: Target, besides unreachable: Set<RedisNodeAddress>) async -> Bool {
        switch target {
        case .slot(let slot):
            guard let master = await topology.knownMaster(ofSlot: slot) else { return false }
            return !unreachable.contains(master)
        case .anyMaster:
            return await topology.knownMasters.contains { !unreachable.contains($0) }
        case .redirected:
            return false
        }
    }

    /// Sends `commands` on a leased connection and gives it back whatever happens.
    func run(
        _ commands: [RESPCommand], on connection: RedisConnection, of node: RedisClusterNode, timeout: Duration?
    ) async throws -> [RESPValue] {
        do {
            let replies = try await connection.pipeline(commands, timeout: timeout)
            await node.pool.release(connection)
            return replies
        } catch {
            await node.pool.release(connection)
            await topology.refreshInBackground()
            throw error
        }
    }

    /// The end of a command's time budget.
    func deadline(_ timeout: Duration?) -> ContinuousClock.Instant {
        .now + (timeout ?? configuration.commandTimeout)
    }

    /// Waits ``retryPause`` and returns `true`, or returns `false` at once when that would pass `deadline`.
    func pause(until deadline: ContinuousClock.Instant) async throws -> Bool {
        guard ContinuousClock.now + Self.retryPause < deadline else { return false }
        try await Task.sleep(for: Self.retryPause)
        return true
    }

    private func node(for target: Target, avoiding: Set<RedisNodeAddress>) async throws -> RedisClusterNode {
        switch target {
        case .slot(let slot): try await topology.master(ofSlot: slot)
        case .anyMaster: try await topology.anyMaster(avoiding: avoiding)
        case .redirected(let address, _): try await topology.node(address)
        }
    }
}

extension RedisClientError {
    /// Errors that leave the command unsent, so that trying it on another node (or later) cannot run it twice.
    var meansNothingWasSent: Bool {
        switch self {
        case .connectTimeout, .connectionFailed, .slotNotServed, .clientShutDown: true
        default: false
        }
    }
}
