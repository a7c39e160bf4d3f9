#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// An IPv4 or IPv6 address as its 4 or 16 bytes. An IPv4-mapped IPv6 address (`::ffff:192.0.2.1`, what a dual-stack
/// socket reports for an IPv4 client) is the IPv4 address, so one client is one key however it is written.
public struct IPAddress: Sendable, Hashable, CustomStringConvertible {
    public let bytes: [UInt8]

    /// Parses with the C library's `inet_pton` (strict dotted quads, every IPv6 form); nil for anything else.
    public init?(_ text: some StringProtocol) {
        let text = String(text)
        guard !text.isEmpty, text.utf8.count <= 64 else { return nil }
        var v4 = in_addr()
        if inet_pton(AF_INET, text, &v4) == 1 {
            bytes = withUnsafeBytes(of: v4) { Array($0) }
            return
        }
        var v6 = in6_addr()
        guard inet_pton(AF_INET6, text, &v6) == 1 else { return nil }
        let raw = withUnsafeBytes(of: v6) { Array($0) }
        let mapped = raw.prefix(10).allSatisfy { $0 == 0 } && raw[10] == 0xff && raw[11] == 0xff
        bytes = mapped ? Array(raw.suffix(4)) : raw
    }

    /// The address of these 4 or 16 bytes.
    init(bytes: [UInt8]) {
        precondition(bytes.count == 4 || bytes.count == 16, "an IP address is 4 or 16 bytes")
        self.bytes = bytes
    }

    /// The canonical text (`inet_ntop`): lower case, IPv6 compressed.
    public var description: String {
        var buffer = [CChar](repeating: 0, count: 64)
        let written: Bool = bytes.withUnsafeBytes { source in
            guard let base = source.baseAddress else { return false }
            let family = bytes.count == 4 ? AF_INET : AF_INET6
            return inet_ntop(family, base, &buffer, socklen_t(buffer.count)) != nil
        }
        guard written else { return "unknown" }
        return String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}

/// An address or a CIDR block (`10.0.0.0/8`, `2001:db8::/32`, or one address: `192.0.2.7`), for `TRUSTED_PROXIES`.
public struct IPNetwork: Sendable, Hashable, CustomStringConvertible {
    public let base: IPAddress
    public let prefixLength: Int

    public init?(_ text: some StringProtocol) {
        let parts = text.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count <= 2, let address = IPAddress(parts[0]) else { return nil }
        let bits = address.bytes.count * 8
        var length = bits
        if parts.count == 2 {
            guard parts[1].allSatisfy(\.isASCII), parts[1].allSatisfy(\.isNumber), let number = Int(parts[1]),
                (0...bits).contains(number)
            else { return nil }
            length = number
        }
        self.base = address
        self.prefixLength = length
    }

    public func contains(_ address: IPAddress) -> Bool {
        guard address.bytes.count == base.bytes.count else { return false }
        var remaining = prefixLength
        for (candidate, own) in zip(address.bytes, base.bytes) where remaining > 0 {
            let bits = min(8, remaining)
            let mask: UInt8 = bits == 8 ? 0xff : ~(0xff >> UInt8(bits))
            guard candidate & mask == own & mask else { return false }
            remaining -= bits
        }
        return true
    }

    public var description: String { "\(base)/\(prefixLength)" }
}
