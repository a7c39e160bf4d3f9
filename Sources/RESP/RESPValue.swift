/// A RESP2 value as Redis sends it.
public enum RESPValue: Sendable, Equatable {
    case simpleString(String)
    case error(String)
    case integer(Int64)
    case bulkString([UInt8]?)
    case array([RESPValue]?)
}
