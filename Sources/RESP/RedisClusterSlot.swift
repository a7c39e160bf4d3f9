/// The hash slot of a key in a Redis Cluster, exactly as the servers compute it (`CLUSTER KEYSLOT`).
///
/// A cluster splits keys into 16384 slots, and each master node serves some of them. Keys that one command (or
/// one Lua script) touches together must share a slot; a hash tag makes that happen: only the part between the
/// first `{` and the next `}` is hashed when it is not empty, so `{user1000}.following` and `{user1000}.followers`
/// land on the same node.
public enum RedisClusterSlot {
    /// How many slots a cluster has.
    public static let count = 16384

    /// The slot of `key`: CRC16 (XMODEM) of its hash tag, or of the whole key without one, modulo 16384.
    public static func slot(of key: String) -> Int {
        slot(of: Array(key.utf8))
    }

    /// The slot of a binary key.
    public static func slot(of key: [UInt8]) -> Int {
        Int(crc16(hashTag(of: key)) & UInt16(count - 1))
    }

    /// The bytes that are hashed: the content of the first `{…}` when it is not empty, else the whole key.
    /// (`foo{}{bar}` has an empty first tag, so the whole key is hashed.)
    static func hashTag(of key: [UInt8]) -> ArraySlice<UInt8> {
        guard let open = key.firstIndex(of: UInt8(ascii: "{")),
            let close = key[(open + 1)...].firstIndex(of: UInt8(ascii: "}")),
            close > open + 1
        else { return key[...] }
        return key[(open + 1)..<close]
    }

    /// CRC16-CCITT in its XMODEM form (polynomial 0x1021, initial value 0, no reflection), as in Redis's `crc16.c`.
    static func crc16(_ bytes: ArraySlice<UInt8>) -> UInt16 {
        var crc: UInt16 = 0
        for byte in bytes {
            crc = (crc << 8) ^ table[Int(UInt8(truncatingIfNeeded: crc >> 8) ^ byte)]
        }
        return crc
    }

    /// One entry per byte value, so the CRC takes one lookup per key byte rather than eight shifts.
    private static let table: [UInt16] = (0..<256).map { value in
        var crc = UInt16(value) << 8
        for _ in 0..<8 {
            crc = crc & 0x8000 != 0 ? (crc << 1) ^ 0x1021 : crc << 1
        }
        return crc
    }
}
