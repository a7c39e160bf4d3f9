/// Where a command goes in a cluster, found from its keys.
enum RedisClusterRoute: Sendable, Equatable {
    /// To the master that serves this slot (the slot of every key of the command).
    case slot(Int)
    /// To any reachable master: the command has no key (`PING`, `SCRIPT EXISTS`).
    case anyMaster
    /// To every master, because each keeps its own copy of what the command changes (`FLUSHALL`, `SCRIPT LOAD`).
    case everyMaster

    /// Throws ``RedisClientError/crossSlot(command:)`` when the keys are in different slots: no node could run the
    /// command, so it is refused before anything is sent.
    init(_ command: RESPCommand) throws(RedisClientError) {
        let name = command.name
        if Self.everyMaster(name, command.arguments) {
            self = .everyMaster
            return
        }
        if name == "PUBLISH", command.arguments.count > 1 {
            // The cluster broadcasts a `PUBLISH` from whichever master gets it, but messages sent to different masters
            // race each other over the cluster bus, so a subscriber could hear one publisher's messages out of order.
            // Every `PUBLISH` of a channel goes to the master of the channel's slot: one link to each node, in order.
            self = .slot(RedisClusterSlot.slot(of: command.arguments[1]))
            return
        }
        let keys = RedisClusterKeys.positions(in: command.arguments, name: name)
        guard let first = keys.first else {
            self = .anyMaster
            return
        }
        let slot = RedisClusterSlot.slot(of: command.arguments[first])
        for position in keys.dropFirst() where RedisClusterSlot.slot(of: command.arguments[position]) != slot {
            throw .crossSlot(command: name)
        }
        self = .slot(slot)
    }

    private static func everyMaster(_ name: String, _ arguments: [[UInt8]]) -> Bool {
        switch name {
        case "FLUSHALL", "FLUSHDB": return true
        case "SCRIPT", "FUNCTION":
            guard arguments.count > 1 else { return false }
            let subcommand = String(decoding: arguments[1], as: UTF8.self).uppercased()
            return ["LOAD", "FLUSH", "DELETE"].contains(subcommand)
        default: return false
        }
    }
}

/// Which arguments of a command are keys, after the Redis command table, for the commands clients commonly send.
/// An unknown command's key is its first argument, which is right for most of them.
enum RedisClusterKeys {
    private enum Layout {
        case none
        /// `numkeys` at this position, then that many keys (`EVAL script numkeys key…`).
        case counted(at: Int)
        /// A destination key, then `numkeys` and the keys (`ZUNIONSTORE dest numkeys key…`).
        case destinationAndCounted
        case all
        case allButLast
        case everyOther
        case firstTwo
        case at(Int)
        case from(Int)
        /// `XREAD … STREAMS key… id…`: the first half of what follows `STREAMS`.
        case streams
    }

    /// The positions in `arguments` (0 is the command name) that hold keys; empty for a keyless command.
    static func positions(in arguments: [[UInt8]], name: String) -> [Int] {
        let count = arguments.count
        switch layout(of: name) {
        case .none: return []
        case .counted(let at): return counted(arguments, at: at)
        case .destinationAndCounted: return count > 1 ? [1] + counted(arguments, at: 2) : []
        case .all: return Array(1..<max(count, 1))
        case .allButLast: return Array(1..<max(count - 1, 1))
        case .everyOther: return Array(stride(from: 1, to: count, by: 2))
        case .firstTwo: return Array(1..<min(count, 3))
        case .at(let index): return index < count ? [index] : []
        case .from(let index): return index < count ? Array(index..<count) : []
        case .streams:
            let streams = Array("STREAMS".utf8)
            guard let marker = arguments.firstIndex(where: { $0.map(Self.uppercased) == streams }) else { return [] }
            let first = marker + 1
            return Array(first..<(first + (count - first) / 2))
        }
    }

    private static func uppercased(_ byte: UInt8) -> UInt8 {
        (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte) ? byte - 32 : byte
    }

    private static func counted(_ arguments: [[UInt8]], at index: Int) -> [Int] {
        guard index < arguments.count, let count = Int(String(decoding: arguments[index], as: UTF8.self)), count > 0
        else { return [] }
        return Array((index + 1)..<min(index + 1 + count, arguments.count))
    }

    private static func layout(of name: String) -> Layout {
        switch name {
        case "PING", "PUBLISH", "SCRIPT", "INFO", "TIME", "CLUSTER", "ECHO", "DBSIZE", "FLUSHALL", "FLUSHDB",
            "CLIENT", "CONFIG", "FUNCTION", "WAIT", "KEYS", "SCAN", "COMMAND", "SLOWLOG", "AUTH", "HELLO", "SELECT",
            "MULTI", "EXEC", "DISCARD", "UNWATCH", "RANDOMKEY", "LASTSAVE", "ROLE", "READONLY", "READWRITE":
            .none
        case "EVAL", "EVALSHA", "EVAL_RO", "EVALSHA_RO", "FCALL", "FCALL_RO", "BLMPOP", "BZMPOP": .counted(at: 2)
        case "ZUNION", "ZINTER", "ZDIFF", "ZINTERCARD", "SINTERCARD", "LMPOP", "ZMPOP": .counted(at: 1)
        case "ZUNIONSTORE", "ZINTERSTORE", "ZDIFFSTORE": .destinationAndCounted
        case "MGET", "DEL", "UNLINK", "EXISTS", "TOUCH", "WATCH", "SINTER", "SUNION", "SDIFF", "SINTERSTORE",
            "SUNIONSTORE", "SDIFFSTORE", "PFCOUNT", "PFMERGE":
            .all
        case "BLPOP", "BRPOP", "BZPOPMIN", "BZPOPMAX": .allButLast
        case "MSET", "MSETNX": .everyOther
        case "RENAME", "RENAMENX", "SMOVE", "RPOPLPUSH", "BRPOPLPUSH", "LMOVE", "BLMOVE", "COPY", "LCS",
            "GEOSEARCHSTORE":
            .firstTwo
        case "OBJECT", "MEMORY", "XINFO", "XGROUP": .at(2)
        case "BITOP": .from(2)
        case "XREAD", "XREADGROUP": .streams
        default: .at(1)
        }
    }
}
