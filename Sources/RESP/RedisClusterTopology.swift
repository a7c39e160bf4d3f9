import Logging
import NIOCore

/// A cluster node the router can send to: its address and its connection pool.
struct RedisClusterNode: Sendable {
    let address: RedisNodeAddress
    let pool: RedisConnectionPool
}

/// What the client knows of the cluster: the slot map, a connection pool per master, and the refreshing of the map.
///
/// The map is loaded on first use (creating a client does no I/O) from the first node that answers
/// `CLUSTER SLOTS`: a known master, else a known replica, else a seed. One refresh runs at a time; callers that
/// ask meanwhile wait for that one, so a burst of redirects or failures costs one round trip, not one each.
actor RedisClusterTopology {
    private let configuration: RedisConfiguration
    private let eventLoopGroup: any EventLoopGroup
    private let logger: Logger
    private var map: RedisClusterSlotMap?
    private var pools: [RedisNodeAddress: RedisConnectionPool] = [:]
    private var refreshing: Task<Void, any Error>?
    private(set) var isShutDown = false

    init(configuration: RedisConfiguration, eventLoopGroup: any EventLoopGroup, logger: Logger) {
        self.configuration = configuration
        self.eventLoopGroup = eventLoopGroup
        self.logger = logger
    }

    /// The master that serves `slot`. Throws ``RedisClientError/slotNotServed(_:)`` when none does even after a
    /// refresh, and the connect error when no node answers for the map.
    func master(ofSlot slot: Int) async throws -> RedisClusterNode {
        if let address = try await currentMap().master(ofSlot: slot) { return try node(address) }
        try await refresh()
        guard let address = map?.master(ofSlot: slot) else { throw RedisClientError.slotNotServed(slot) }
        return try node(address)
    }

    /// A random master, to spread keyless commands, other than those in `avoiding` while others are left.
    func anyMaster(avoiding: Set<RedisNodeAddress>) async throws -> RedisClusterNode {
        let masters = try await currentMap().masters
        let preferred = masters.filter { !avoiding.contains($0) }
        guard let address = preferred.randomElement() ?? masters.randomElement() else {
            throw RedisClientError.slotNotServed(0)
        }
        return try node(address)
    }

    /// Every master, for commands that each master must run (`FLUSHALL`, `SCRIPT LOAD`).
    func everyMaster() async throws -> [RedisClusterNode] {
        try await currentMap().masters.map(node)
    }

    /// The node of each route, for a pipeline; `nil` where there is none to name now (every master, a slot nobody
    /// serves, no map), and the command goes alone through the router, which retries.
    func nodes(for routes: [RedisClusterRoute]) async -> [RedisClusterNode?] {
        guard let map = try? await currentMap() else { return routes.map { _ in nil } }
        let anyMaster = map.masters.randomElement()
        return routes.map { route in
            let address =
                switch route {
                case .slot(let slot): map.master(ofSlot: slot)
                case .anyMaster: anyMaster
                case .everyMaster: nil as RedisNodeAddress?
                }
            return address.flatMap { try? node($0) }
        }
    }

    /// The node at `address`, named by a redirect; its pool is made on first use.
    func node(_ address: RedisNodeAddress) throws -> RedisClusterNode {
        guard !isShutDown else { throw RedisClientError.clientShutDown }
        if let pool = pools[address] { return RedisClusterNode(address: address, pool: pool) }
        let pool = RedisConnectionPool(
            configuration: configuration.node(address), eventLoopGroup: eventLoopGroup, logger: logger)
        pools[address] = pool
        return RedisClusterNode(address: address, pool: pool)
    }

    /// Nodes to subscribe on, best first: a `PUBLISH` reaches every node of a cluster, so any live one will do.
    func subscriptionCandidates() -> [RedisNodeAddress] {
        candidates(avoiding: nil)
    }

    /// Records a `MOVED`: that slot is served by `address` now. Other slots probably moved too (a resharding or a
    /// failover), so the whole map is refreshed in the background.
    func moved(slot: Int, to address: RedisNodeAddress) {
        map?.assign(slot: slot, to: address)
        refreshInBackground()
    }

    /// Starts a refresh unless one is running, without waiting for it: after a command failed in a way that may
    /// mean a node died, so the next command finds the new map.
    func refreshInBackground() {
        guard !isShutDown else { return }
        _ = startRefresh(avoiding: nil)
    }

    /// Loads the map again, asking `failed` (a node that just could not be reached) last. Joins the refresh
    /// already running, if any.
    func refresh(avoiding failed: RedisNodeAddress? = nil) async throws {
        guard !isShutDown else { throw RedisClientError.clientShutDown }
        try await startRefresh(avoiding: failed).value
    }

    /// The running refresh, or a new one. The task runs on this actor (it uses `self`), so it cannot start before
    /// it is recorded here, and it forgets itself when done.
    private func startRefresh(avoiding failed: RedisNodeAddress?) -> Task<Void, any Error> {
        if let refreshing { return refreshing }
        let candidates = candidates(avoiding: failed)
        let task = Task {
            defer { self.refreshing = nil }
            try await self.load(from: candidates)
        }
        refreshing = task
        return task
    }

    /// Closes every node's pool (see ``RedisConnectionPool/shutdown()``); later calls throw
    /// ``RedisClientError/clientShutDown``.
    func shutdown() async {
        isShutDown = true
        let closing = pools.values
        pools.removeAll()
        for pool in closing { await pool.shutdown() }
    }

    /// The master the map names for `slot`, without loading or refreshing anything.
    func knownMaster(ofSlot slot: Int) -> RedisNodeAddress? {
        map?.master(ofSlot: slot)
    }

    /// The masters the map names, without loading or refreshing anything.
    var knownMasters: [RedisNodeAddress] { map?.masters ?? [] }

    /// Connections open or being opened to all nodes (for tests).
    var connectionCount: Int {
        get async {
            var count = 0
            for pool in pools.values { count += await pool.connectionCount }
            return count
        }
    }

    private func currentMap() async throws -> RedisClusterSlotMap {
        if let map { return map }
        try await refresh()
        guard let map else { throw RedisClientError.slotNotServed(0) }
        return map
    }

    /// Masters, then replicas (one of which may have just been promoted), then the seeds; `failed` last.
    private func candidates(avoiding failed: RedisNodeAddress?) -> [RedisNodeAddress] {
        var ordered: [RedisNodeAddress] = []
        for address in (map?.masters ?? []) + (map?.replicas ?? []) + configuration.clusterNodes
        where address != failed && !ordered.contains(address) {
            ordered.append(address)
        }
        if let failed { ordered.append(failed) }
        return ordered
    }

    private func load(from candidates: [RedisNodeAddress]) async throws {
        let loaded = try await Self.fetchMap(
            from: candidates, configuration: configuration, eventLoopGroup: eventLoopGroup, logger: logger)
        if let map, map != loaded {
            // A failover or a resharding: worth a line in the log.
            logger.info("Redis Cluster map changed", metadata: ["masters": "\(loaded.masters)"])
        } else if map == nil {
            logger.debug("Redis Cluster map loaded", metadata: ["masters": "\(loaded.masters)"])
        }
        map = loaded
        // A node that serves no slot any more (failed over, removed) keeps no connections.
        let retired = pools.filter { !loaded.masters.contains($0.key) }
        for address in retired.keys { pools[address] = nil }
        for pool in retired.values { await pool.shutdown() }
    }

    /// Asks each candidate in turn for `CLUSTER SLOTS` on a short-lived connection of its own, so a refresh never
    /// waits behind busy pooled connections, and returns the first map that serves any slot.
    private static func fetchMap(
        from candidates: [RedisNodeAddress], configuration: RedisConfiguration, eventLoopGroup: any EventLoopGroup,
        logger: Logger
    ) async throws -> RedisClusterSlotMap {
        var lastError: any Error = RedisClientError.slotNotServed(0)
        for address in candidates {
            do {
                let connection = try await RedisConnection.connect(
                    configuration: configuration.node(address), eventLoopGroup: eventLoopGroup, logger: logger)
                let reply: RESPValue
                do {
                    reply = try await connection.send(["CLUSTER", "SLOTS"])
                } catch {
                    await connection.close()
                    throw error
                }
                await connection.close()
                let map = try RedisClusterSlotMap(slotsReply: reply, askedNode: address)
                if !map.isEmpty { return map }
                lastError = RedisClientError.unexpectedReply(command: "CLUSTER SLOTS", reply: reply)
            } catch {
                logger.debug(
                    "Redis Cluster node did not give its slot map",
                    metadata: ["node": "\(address)", "error": "\(error)"])
                lastError = error
            }
        }
        throw lastError
    }
}
