/// Moving a slot between masters by hand, as `redis-cli --cluster reshard` does, to make nodes answer `ASK` and
/// `MOVED`.
extension TestRedisCluster {
    /// Marks `slot` as leaving `source` for `target`: from now on `source` answers `ASK` for its keys that have
    /// moved, and `target` accepts them after `ASKING`.
    func beginMigration(slot: Int, from source: Int, to target: Int) async throws {
        let (sourceID, targetID) = (try await nodeID(source), try await nodeID(target))
        _ = try await send(["CLUSTER", "SETSLOT", String(slot), "IMPORTING", sourceID], to: target)
        _ = try await send(["CLUSTER", "SETSLOT", String(slot), "MIGRATING", targetID], to: source)
    }

    /// Moves `keys` of the migrating slot from `source` to `target` (all of the slot's keys when `nil`).
    func migrateKeys(_ keys: [String]? = nil, slot: Int, from source: Int, to target: Int) async throws {
        var keys = keys ?? []
        if keys.isEmpty {
            let reply = try await send(["CLUSTER", "GETKEYSINSLOT", String(slot), "1000"], to: source)
            keys = reply.array?.compactMap(\.string) ?? []
        }
        guard !keys.isEmpty else { return }
        _ = try await send(["MIGRATE", "127.0.0.1", String(target), "", "0", "5000", "KEYS"] + keys, to: source)
    }

    /// Gives `slot` to `target` for good, telling the target first, then every other master.
    func finishMigration(slot: Int, to target: Int) async throws {
        let targetID = try await nodeID(target)
        for port in try await [target] + masterPorts().filter({ $0 != target }) {
            _ = try await send(["CLUSTER", "SETSLOT", String(slot), "NODE", targetID], to: port)
        }
    }

    /// Moves `slot` and its keys from its master to `target` in one go.
    func moveSlot(_ slot: Int, from source: Int, to target: Int) async throws {
        try await beginMigration(slot: slot, from: source, to: target)
        try await migrateKeys(slot: slot, from: source, to: target)
        try await finishMigration(slot: slot, to: target)
    }
}
