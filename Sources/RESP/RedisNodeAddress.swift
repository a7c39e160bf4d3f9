/// Where one Redis server listens: a cluster seed from the configuration, or a node named by the cluster itself
/// (`CLUSTER SLOTS`, `MOVED`, `ASK`).
public struct RedisNodeAddress: Sendable, Hashable, CustomStringConvertible {
    /// A host name or an IP address; an IPv6 address without brackets (`::1`).
    public var host: String
    public var port: Int

    public init(host: String, port: Int) {
        self.host = host
        self.port = port
    }

    /// `host:port`, with an IPv6 address in brackets (`[::1]:7000`) so the port stays readable.
    public var description: String {
        host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)"
    }

    /// Parses the `host:port` of a `MOVED`/`ASK` redirect. Redis writes IPv6 addresses without brackets
    /// (`::1:7000`), so the port is what follows the last colon. An empty host (`:7000`, a node whose address
    /// Redis does not know) means the host of the node that sent the redirect, `sender`.
    init?(redirectTarget text: Substring, sender: RedisNodeAddress) {
        guard let colon = text.lastIndex(of: ":"), let port = Int(text[text.index(after: colon)...]),
            (1...65535).contains(port)
        else { return nil }
        var host = text[..<colon]
        if host.hasPrefix("["), host.hasSuffix("]") { host = host.dropFirst().dropLast() }
        self.init(host: host.isEmpty ? sender.host : String(host), port: port)
    }
}
