extension RedisClusterRouter {
    /// Sends `commands` as one pipeline per node, all nodes at once, and returns the replies in the original order.
    ///
    /// A command that came back redirected (`MOVED`, `ASK`, `TRYAGAIN`, `CLUSTERDOWN`), or whose node could not be
    /// reached, did not run: it is sent again alone through ``send(_:timeout:)``, which follows redirects and
    /// failovers, in the original order. So are commands for every master (`FLUSHALL`). Keys in different slots in
    /// one command fail the whole pipeline before anything is sent.
    func pipeline(_ commands: [RESPCommand], timeout: Duration?) async throws -> [RESPValue] {
        let routes = try commands.map(RedisClusterRoute.init)
        var groups: [RedisNodeAddress: (node: RedisClusterNode, indices: [Int])] = [:]
        for (index, node) in await topology.nodes(for: routes).enumerated() {
            guard let node else { continue }
            groups[node.address, default: (node, [])].indices.append(index)
        }
        var replies = [RESPValue?](repeating: nil, count: commands.count)
        try await withThrowingTaskGroup(of: [(Int, RESPValue)].self) { group in
            for (node, indices) in groups.values {
                group.addTask {
                    let answered = try await self.sendGroup(indices.map { commands[$0] }, to: node, timeout: timeout)
                    return Array(zip(indices, answered))
                }
            }
            for try await answered in group {
                for (index, reply) in answered { replies[index] = reply }
            }
        }
        var ordered: [RESPValue] = []
        ordered.reserveCapacity(commands.count)
        for (index, reply) in replies.enumerated() {
            if let reply, !isRedirect(reply) {
                ordered.append(reply)
            } else {
                ordered.append(try await send(commands[index], timeout: timeout))
            }
        }
        return ordered
    }

    /// One node's share of a pipeline; no replies (so each command is sent again alone) if the node is unreachable.
    private func sendGroup(
        _ commands: [RESPCommand], to node: RedisClusterNode, timeout: Duration?
    ) async throws -> [RESPValue] {
        let connection: RedisConnection
        do {
            connection = try await node.pool.lease()
        } catch let error as RedisClientError where error.meansNothingWasSent {
            return []
        }
        let replies = try await run(commands, on: connection, of: node, timeout: timeout)
        // Learn from each MOVED, so the commands sent again alone go straight to the new node.
        for reply in replies {
            if let message = reply.errorMessage,
                case .moved(let slot, let address) = RedisClusterRedirect(errorMessage: message, sender: node.address)
            {
                await topology.moved(slot: slot, to: address)
            }
        }
        return replies
    }

    private func isRedirect(_ reply: RESPValue) -> Bool {
        guard let message = reply.errorMessage else { return false }
        let placeholder = RedisNodeAddress(host: "", port: 0)
        return RedisClusterRedirect(errorMessage: message, sender: placeholder) != nil
    }
}
