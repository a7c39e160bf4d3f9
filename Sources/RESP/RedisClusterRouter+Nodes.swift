import Logging

extension RedisClusterRouter {
    /// Runs `command` on every master (`FLUSHALL`, `SCRIPT LOAD`: each master keeps its own data and scripts) and
    /// returns the first error reply, else the first reply.
    ///
    /// A master that cannot be reached is tried again, after a map refresh, until the time budget is spent; the
    /// masters that already ran the command are not asked twice.
    func broadcast(_ command: RESPCommand, timeout: Duration?) async throws -> RESPValue {
        let deadline = deadline(timeout)
        var done: Set<RedisNodeAddress> = []
        var replies: [RESPValue] = []
        while true {
            var unreachable: (address: RedisNodeAddress, error: RedisClientError)?
            do {
                let pending = try await topology.everyMaster().filter { !done.contains($0.address) }
                for (address, result) in await sendToEach(command, nodes: pending, timeout: timeout) {
                    switch result {
                    case .success(let reply):
                        done.insert(address)
                        replies.append(reply)
                    case .failure(let error as RedisClientError) where error.meansNothingWasSent:
                        unreachable = (address, error)
                    case .failure(let error):
                        throw error
                    }
                }
            } catch let error as RedisClientError where error.meansNothingWasSent {
                // No map: no node answered CLUSTER SLOTS.
                unreachable = (RedisNodeAddress(host: configuration.host, port: configuration.port), error)
            }
            guard let unreachable else { break }
            if unreachable.error == .clientShutDown, await topology.isShutDown { throw unreachable.error }
            try? await topology.refresh(avoiding: unreachable.address)
            guard try await pause(until: deadline) else { throw unreachable.error }
        }
        guard let first = replies.first(where: { $0.errorMessage != nil }) ?? replies.first else {
            throw RedisClientError.unexpectedReply(command: command.name, reply: .array([]))
        }
        return first
    }

    private func sendToEach(
        _ command: RESPCommand, nodes: [RedisClusterNode], timeout: Duration?
    ) async -> [(RedisNodeAddress, Result<RESPValue, any Error>)] {
        await withTaskGroup(of: (RedisNodeAddress, Result<RESPValue, any Error>).self) { group in
            for node in nodes {
                group.addTask {
                    do {
                        let connection = try await node.pool.lease()
                        let replies = try await self.run([command], on: connection, of: node, timeout: timeout)
                        return (node.address, .success(replies[0]))
                    } catch {
                        return (node.address, .failure(error))
                    }
                }
            }
            return await group.reduce(into: []) { $0.append($1) }
        }
    }

    /// Runs `body` with a connection to the master of `key`'s slot, waiting out a failover as commands do.
    /// A redirect that `body` receives (thrown as ``RESPError`` `MOVED`/`ASK`) refreshes the map for next time.
    func withConnection<Value>(
        forKey key: String, _ body: (RedisConnection) async throws -> Value
    ) async throws -> Value {
        let deadline = deadline(nil)
        let (node, connection) = try await lease(.slot(RedisClusterSlot.slot(of: key)), until: deadline)
        do {
            let result = try await body(connection)
            await node.pool.release(connection)
            return result
        } catch {
            await node.pool.release(connection)
            if let error = error as? RESPError, ["MOVED", "ASK"].contains(error.code) {
                await topology.refreshInBackground()
            }
            throw error
        }
    }

    /// Subscribes on the first node that accepts a connection: masters, then replicas, then seeds. A cluster
    /// delivers every `PUBLISH` to every node, so which one does not matter.
    func subscribe(to channels: [String]) async throws -> RedisSubscription {
        if await topology.isShutDown { throw RedisClientError.clientShutDown }
        var lastError: any Error = RedisClientError.slotNotServed(0)
        for address in await topology.subscriptionCandidates() {
            do {
                return try await RedisSubscription.open(
                    channels: channels, configuration: configuration.node(address), eventLoopGroup: eventLoopGroup,
                    logger: logger)
            } catch let error as RedisClientError where error.meansNothingWasSent {
                lastError = error
                await topology.refreshInBackground()
            }
        }
        throw lastError
    }
}
