/// Which master serves each hash slot, as a node answered `CLUSTER SLOTS`, and the replicas it named.
struct RedisClusterSlotMap: Sendable, Equatable {
    /// The masters, each once, in the order the reply named them.
    private(set) var masters: [RedisNodeAddress] = []
    /// The replicas, each once: not routed to, but asked for the map when masters are down.
    private(set) var replicas: [RedisNodeAddress] = []
    /// For each slot, the index of its master in ``masters``, or ``unassigned``.
    private var owners = [UInt16](repeating: unassigned, count: RedisClusterSlot.count)
    private static let unassigned = UInt16.max

    init() {}

    /// Reads a `CLUSTER SLOTS` reply: `[[start, end, [host, port, id, …], [replica host, port, id, …]…]…]`.
    ///
    /// An empty host means the node that was asked (`askedNode`); `?` means a node whose address is unknown, whose
    /// slots stay unassigned until a redirect names it.
    init(slotsReply reply: RESPValue, askedNode: RedisNodeAddress) throws(RedisClientError) {
        guard let ranges = reply.array else { throw .unexpectedReply(command: "CLUSTER SLOTS", reply: reply) }
        for range in ranges {
            guard let fields = range.array, fields.count >= 3, let start = fields[0].int, let end = fields[1].int,
                0 <= start, start <= end, end < RedisClusterSlot.count
            else { throw .unexpectedReply(command: "CLUSTER SLOTS", reply: reply) }
            guard let master = Self.address(fields[2], askedNode: askedNode) else { continue }
            let index = indexOfMaster(master)
            for slot in start...end { owners[slot] = index }
            for replica in fields.dropFirst(3).compactMap({ Self.address($0, askedNode: askedNode) })
            where !replicas.contains(replica) {
                replicas.append(replica)
            }
        }
    }

    /// The master of `slot`, or `nil` when no node serves it.
    func master(ofSlot slot: Int) -> RedisNodeAddress? {
        let index = owners[slot]
        return index == Self.unassigned ? nil : masters[Int(index)]
    }

    /// Whether no slot is served at all: the node asked is not (yet) part of a working cluster.
    var isEmpty: Bool { masters.isEmpty }

    /// Records what a `MOVED` said: `slot` is now served by `node`.
    mutating func assign(slot: Int, to node: RedisNodeAddress) {
        owners[slot] = indexOfMaster(node)
    }

    private mutating func indexOfMaster(_ node: RedisNodeAddress) -> UInt16 {
        if let index = masters.firstIndex(of: node) { return UInt16(index) }
        masters.append(node)
        replicas.removeAll { $0 == node }
        return UInt16(masters.count - 1)
    }

    private static func address(_ value: RESPValue, askedNode: RedisNodeAddress) -> RedisNodeAddress? {
        guard let fields = value.array, fields.count >= 2, let host = fields[0].string, let port = fields[1].int,
            host != "?", (1...65535).contains(port)
        else { return nil }
        return RedisNodeAddress(host: host.isEmpty ? askedNode.host : host, port: port)
    }
}
