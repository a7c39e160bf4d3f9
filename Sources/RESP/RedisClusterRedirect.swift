/// An error reply by which a cluster node declines a command without running it, and what to do instead.
enum RedisClusterRedirect: Sendable, Equatable {
    /// `MOVED <slot> <host>:<port>`: the slot now lives on that node for good; update the map and go there.
    case moved(slot: Int, to: RedisNodeAddress)
    /// `ASK <slot> <host>:<port>`: the slot is being migrated and this key already moved; send `ASKING` and the
    /// command to that node, this once, and keep the map.
    case ask(slot: Int, to: RedisNodeAddress)
    /// `TRYAGAIN` (a multi-key command during a migration), `CLUSTERDOWN` (the cluster is failing over or lost a
    /// slot) or `LOADING` (a node still reading its data): try again shortly.
    case retryLater

    /// Reads the error reply `message` from the node `sender`; `nil` for any other error, which is the caller's.
    init?(errorMessage message: String, sender: RedisNodeAddress) {
        let parts = message.split(separator: " ", maxSplits: 3)
        switch parts.first {
        case "MOVED", "ASK":
            guard parts.count >= 3, let slot = Int(parts[1]), (0..<RedisClusterSlot.count).contains(slot),
                let node = RedisNodeAddress(redirectTarget: parts[2], sender: sender)
            else { return nil }
            self = parts[0] == "MOVED" ? .moved(slot: slot, to: node) : .ask(slot: slot, to: node)
        case "TRYAGAIN", "CLUSTERDOWN", "LOADING":
            self = .retryLater
        default:
            return nil
        }
    }
}
