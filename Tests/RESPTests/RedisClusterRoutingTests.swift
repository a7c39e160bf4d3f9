import Testing

@testable import RESP

/// Slot hashing, key extraction and redirect parsing: the pure parts of cluster routing. The expected slots are what
/// `CLUSTER KEYSLOT` answers on Redis 7.
@Suite struct RedisClusterRoutingTests {
    @Test(arguments: [
        ("foo", 12182),
        ("bar", 5061),
        ("hello", 866),
        ("123456789", 12739),
        ("", 0),
        ("{user1000}.following", 3443),
        ("{user1000}.followers", 3443),
        ("foo{}{bar}", 8363),
        ("foo{{bar}}zap", 4015),
        ("foo{bar}{zap}", 5061),
        ("{}", 15257),
        ("a{b", 13340),
    ])
    func slotsMatchClusterKeyslot(key: String, slot: Int) {
        #expect(RedisClusterSlot.slot(of: key) == slot)
    }

    @Test func crc16IsXMODEM() {
        #expect(RedisClusterSlot.crc16(Array("123456789".utf8)[...]) == 0x31C3)
    }

    @Test func hashTagsFollowTheSpec() {
        // The first `{` and the next `}` after it, when something is between them.
        #expect(RedisClusterSlot.slot(of: "{user1000}.following") == RedisClusterSlot.slot(of: "user1000"))
        #expect(RedisClusterSlot.slot(of: "foo{{bar}}zap") == RedisClusterSlot.slot(of: "{bar"))
        #expect(RedisClusterSlot.slot(of: "foo{bar}{zap}") == RedisClusterSlot.slot(of: "bar"))
        // An empty first tag means no tag: the whole key is hashed.
        #expect(RedisClusterSlot.slot(of: "foo{}{bar}") != RedisClusterSlot.slot(of: "bar"))
        #expect(RedisClusterSlot.slot(of: "foo}{bar}") == RedisClusterSlot.slot(of: "bar"))
    }

    @Test(arguments: [
        (["GET", "k"], ["k"]),
        (["SET", "k", "v", "PX", "10"], ["k"]),
        (["PING"], []),
        (["PUBLISH", "channel", "message"], []),
        (["SPUBLISH", "channel", "message"], ["channel"]),
        (["SCRIPT", "EXISTS", "abc"], []),
        (["CLUSTER", "SLOTS"], []),
        (["EVALSHA", "sha", "2", "a", "b", "arg"], ["a", "b"]),
        (["EVAL", "return 1", "0", "arg"], []),
        (["eval_ro", "s", "1", "a", "b"], ["a"]),
        (["FCALL", "f", "1", "a"], ["a"]),
        (["EVALSHA", "sha", "5", "a"], ["a"]),
        (["MGET", "a", "b", "c"], ["a", "b", "c"]),
        (["DEL", "a", "b"], ["a", "b"]),
        (["EXISTS", "a"], ["a"]),
        (["MSET", "a", "1", "b", "2"], ["a", "b"]),
        (["BLPOP", "a", "b", "5"], ["a", "b"]),
        (["RENAME", "a", "b"], ["a", "b"]),
        (["ZUNIONSTORE", "d", "2", "a", "b", "WEIGHTS", "1", "2"], ["d", "a", "b"]),
        (["XREAD", "COUNT", "2", "streams", "a", "b", "0", "0"], ["a", "b"]),
        (["OBJECT", "ENCODING", "a"], ["a"]),
    ])
    func keysAreFoundWhereTheCommandHasThem(arguments: [String], keys: [String]) {
        let command = RESPCommand(arguments)
        let found = RedisClusterKeys.positions(in: command.arguments, name: command.name).map { arguments[$0] }
        #expect(found == keys)
    }

    @Test func routesFollowTheKeys() throws {
        #expect(try RedisClusterRoute(RESPCommand(["GET", "foo"])) == .slot(12182))
        #expect(
            try RedisClusterRoute(RESPCommand(["MGET", "{u}.a", "{u}.b"])) == .slot(RedisClusterSlot.slot(of: "u")))
        #expect(try RedisClusterRoute(RESPCommand(["PING"])) == .anyMaster)
        // Not a key, but each channel's messages go through one master so that subscribers hear them in order.
        #expect(try RedisClusterRoute(RESPCommand(["PUBLISH", "c", "m"])) == .slot(RedisClusterSlot.slot(of: "c")))
        #expect(try RedisClusterRoute(RESPCommand(["SCRIPT", "EXISTS", "x"])) == .anyMaster)
        for everywhere in [["FLUSHALL"], ["flushdb", "ASYNC"], ["SCRIPT", "LOAD", "return 1"], ["SCRIPT", "flush"]] {
            #expect(try RedisClusterRoute(RESPCommand(everywhere)) == .everyMaster)
        }
    }

    @Test func keysInDifferentSlotsAreRefused() {
        #expect(throws: RedisClientError.crossSlot(command: "MGET")) {
            try RedisClusterRoute(RESPCommand(["MGET", "foo", "bar"]))
        }
        #expect(throws: RedisClientError.crossSlot(command: "EVALSHA")) {
            try RedisClusterRoute(RESPCommand(["EVALSHA", "sha", "2", "foo", "bar"]))
        }
        // Arguments after the keys are not keys.
        #expect(throws: Never.self) { try RedisClusterRoute(RESPCommand(["EVALSHA", "sha", "1", "foo", "bar"])) }
    }

    @Test func redirectsAreRead() {
        let sender = RedisNodeAddress(host: "10.0.0.1", port: 7000)
        #expect(
            RedisClusterRedirect(errorMessage: "MOVED 3999 127.0.0.1:6381", sender: sender)
                == .moved(slot: 3999, to: RedisNodeAddress(host: "127.0.0.1", port: 6381)))
        #expect(
            RedisClusterRedirect(errorMessage: "ASK 3999 ::1:6381", sender: sender)
                == .ask(slot: 3999, to: RedisNodeAddress(host: "::1", port: 6381)))
        // An unknown endpoint: same host as the node that answered.
        #expect(
            RedisClusterRedirect(errorMessage: "MOVED 1 :7002", sender: sender)
                == .moved(slot: 1, to: RedisNodeAddress(host: "10.0.0.1", port: 7002)))
        #expect(RedisClusterRedirect(errorMessage: "TRYAGAIN Multiple keys request", sender: sender) == .retryLater)
        #expect(RedisClusterRedirect(errorMessage: "CLUSTERDOWN The cluster is down", sender: sender) == .retryLater)
        #expect(RedisClusterRedirect(errorMessage: "ERR unknown command", sender: sender) == nil)
        #expect(RedisClusterRedirect(errorMessage: "MOVED 99999 h:1", sender: sender) == nil)
    }

    @Test func aSlotsReplyBecomesAMap() throws {
        let asked = RedisNodeAddress(host: "10.0.0.9", port: 7000)
        func node(_ host: String, _ port: Int64) -> RESPValue { .array([.bulk(host), .integer(port), .bulk("id")]) }
        let reply = RESPValue.array([
            .array([.integer(0), .integer(5460), node("", 7000), node("10.0.0.2", 7003)]),
            .array([.integer(5461), .integer(10922), node("10.0.0.1", 7001)]),
            .array([.integer(10923), .integer(16383), node("?", 7002)]),
        ])
        var map = try RedisClusterSlotMap(slotsReply: reply, askedNode: asked)
        #expect(map.master(ofSlot: 0) == asked, "an empty host is the node that was asked")
        #expect(map.master(ofSlot: 5460) == asked)
        #expect(map.master(ofSlot: 5461) == RedisNodeAddress(host: "10.0.0.1", port: 7001))
        #expect(map.master(ofSlot: 16383) == nil, "a node with an unknown address serves nothing yet")
        #expect(map.masters.count == 2)
        #expect(map.replicas == [RedisNodeAddress(host: "10.0.0.2", port: 7003)])
        map.assign(slot: 16383, to: RedisNodeAddress(host: "10.0.0.3", port: 7002))
        #expect(map.master(ofSlot: 16383) == RedisNodeAddress(host: "10.0.0.3", port: 7002))
        #expect(throws: RedisClientError.self) {
            try RedisClusterSlotMap(slotsReply: .array([.array([.integer(0)])]), askedNode: asked)
        }
    }
}
