extension RedisConfiguration {
    /// Parses `redis://[[username]:password@]host[:port][/database]`, e.g. `redis://:s3cret@10.0.0.5:6380/2`, or a
    /// cluster's seed nodes: `redis+cluster://[[username]:password@]host[:port],host[:port]…`, e.g.
    /// `redis+cluster://:s3cret@10.0.0.5:7000,10.0.0.6:7000`.
    ///
    /// The password may be percent-encoded (`%40` for `@`). IPv6 hosts go in brackets (`[::1]:7000`). Defaults:
    /// port 6379, database 0; a cluster has only database 0, so a cluster URL may not name another. Throws a
    /// ``RedisURLError`` naming what is wrong, never quoting the password.
    public init(url: String) throws(RedisURLError) {
        self.init()
        guard let schemeEnd = url.firstRange(of: "://") else { throw .notAURL }
        let scheme = url[..<schemeEnd.lowerBound].lowercased()
        let isCluster: Bool
        switch scheme {
        case "redis": isCluster = false
        case "redis+cluster": isCluster = true
        case "rediss", "rediss+cluster": throw .tlsNotSupported
        default: throw .unsupportedScheme(String(scheme))
        }
        let rest = url[schemeEnd.upperBound...]
        guard !rest.contains("?"), !rest.contains("#") else { throw .unsupportedQuery }
        let authorityEnd = rest.firstIndex(of: "/") ?? rest.endIndex
        var authority = rest[..<authorityEnd]
        if let at = authority.lastIndex(of: "@") {
            try parseUserInfo(authority[..<at])
            authority = authority[authority.index(after: at)...]
        }
        guard isCluster || !authority.contains(",") else { throw .hostListWithoutCluster }
        var nodes: [RedisNodeAddress] = []
        for node in authority.split(separator: ",", omittingEmptySubsequences: false) {
            nodes.append(try Self.parseAddress(node))
        }
        host = nodes[0].host
        port = nodes[0].port
        let path = rest[authorityEnd...].dropFirst()
        if !path.isEmpty {
            guard let database = Int(path), database >= 0 else { throw .invalidDatabase(String(path)) }
            self.database = database
        }
        if isCluster {
            guard database == 0 else { throw .databaseInCluster(String(path)) }
            clusterNodes = nodes
        }
    }

    private mutating func parseUserInfo(_ userInfo: Substring) throws(RedisURLError) {
        let colon = userInfo.firstIndex(of: ":")
        let user = try Self.percentDecoded(userInfo[..<(colon ?? userInfo.endIndex)], part: "username")
        username = user.isEmpty ? nil : user
        if let colon {
            let secret = try Self.percentDecoded(userInfo[userInfo.index(after: colon)...], part: "password")
            password = secret.isEmpty ? nil : secret
        }
        // `redis://user@host` names a user without a password, which AUTH cannot express.
        if username != nil, password == nil { throw .usernameWithoutPassword }
    }

    /// `host`, `host:port`, `[ipv6]` or `[ipv6]:port`; the port defaults to 6379.
    private static func parseAddress(_ authority: Substring) throws(RedisURLError) -> RedisNodeAddress {
        let host: String
        var portText: Substring?
        if authority.hasPrefix("[") {
            // IPv6 literal: redis://[::1]:6379
            guard let close = authority.firstIndex(of: "]") else { throw .invalidHost(String(authority)) }
            host = String(authority[authority.index(after: authority.startIndex)..<close])
            let after = authority[authority.index(after: close)...]
            if !after.isEmpty {
                guard after.hasPrefix(":") else { throw .invalidHost(String(authority)) }
                portText = after.dropFirst()
            }
        } else if let colon = authority.lastIndex(of: ":") {
            host = String(authority[..<colon])
            portText = authority[authority.index(after: colon)...]
        } else {
            host = String(authority)
        }
        guard !host.isEmpty else { throw .missingHost }
        guard !host.contains(where: { $0 == " " || $0 == ":" && !authority.hasPrefix("[") }) else {
            throw .invalidHost(host)
        }
        guard let portText else { return RedisNodeAddress(host: host, port: 6379) }
        guard let port = Int(portText), (1...65535).contains(port) else { throw .invalidPort(String(portText)) }
        return RedisNodeAddress(host: host, port: port)
    }

    private static func percentDecoded(_ text: Substring, part: String) throws(RedisURLError) -> String {
        var bytes: [UInt8] = []
        var iterator = Array(text.utf8).makeIterator()
        while let byte = iterator.next() {
            guard byte == UInt8(ascii: "%") else {
                bytes.append(byte)
                continue
            }
            guard let high = iterator.next(), let low = iterator.next(),
                let value = UInt8(String(decoding: [high, low], as: UTF8.self), radix: 16)
            else { throw .invalidPercentEncoding(part: part) }
            bytes.append(value)
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}

/// Why a Redis URL was refused. The messages never contain the password.
public enum RedisURLError: Error, Sendable, Equatable, CustomStringConvertible {
    case notAURL
    case unsupportedScheme(String)
    case tlsNotSupported
    case unsupportedQuery
    case missingHost
    case invalidHost(String)
    case invalidPort(String)
    case invalidDatabase(String)
    case invalidPercentEncoding(part: String)
    case usernameWithoutPassword
    /// A cluster URL (or ``RedisConfiguration/useAsClusterSeed()``) names a database other than 0.
    case databaseInCluster(String)
    /// A `redis://` URL names several hosts, which only a cluster (`redis+cluster://`) can have.
    case hostListWithoutCluster

    public var description: String {
        let expected =
            "expected redis://[[user]:password@]host[:port][/db] or redis+cluster://[[user]:password@]host[:port],…"
        return switch self {
        case .notAURL: "not a URL; \(expected)"
        case .unsupportedScheme(let scheme): "unsupported scheme \"\(scheme)\"; \(expected)"
        case .tlsNotSupported: "rediss:// (TLS) is not supported; use redis:// on a private network"
        case .unsupportedQuery: "query parameters and fragments are not supported; \(expected)"
        case .missingHost: "the host is missing; \(expected)"
        case .invalidHost(let host): "invalid host \"\(host)\"; \(expected)"
        case .invalidPort(let port): "invalid port \"\(port)\": must be a number from 1 to 65535"
        case .invalidDatabase(let db): "invalid database \"\(db)\": must be a number, 0 or more"
        case .invalidPercentEncoding(let part): "invalid percent-encoding in the \(part)"
        case .usernameWithoutPassword: "a username needs a password: redis://user:password@host"
        case .databaseInCluster(let db): "database \"\(db)\" in a cluster: a Redis Cluster has only database 0"
        case .hostListWithoutCluster: "several hosts need the redis+cluster:// scheme; \(expected)"
        }
    }
}
