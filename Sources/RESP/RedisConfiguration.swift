/// Where and how to connect to Redis, usually parsed from `REDIS_URL`.
public struct RedisConfiguration: Sendable, Hashable, CustomStringConvertible {
    public var host: String
    public var port: Int
    /// The ACL user for `AUTH user password` (Redis 6+); `nil` authenticates as the default user.
    public var username: String?
    /// Sent with `AUTH` right after connecting; `nil` skips `AUTH`.
    public var password: String?
    /// Selected with `SELECT` right after connecting when it is not 0.
    public var database: Int
    /// How long a TCP connect may take. Short, because Redis is near: a Redis that cannot be reached fast
    /// should fail the request (503) rather than hold it.
    public var connectTimeout: Duration
    /// How long a reply may take before the connection is closed and the caller gets
    /// ``RedisClientError/commandTimeout(after:)``. Blocking commands (`BLPOP k 5`) need a per-command timeout.
    public var commandTimeout: Duration
    /// How many connections ``RedisClient`` keeps at most.
    public var maximumConnections: Int

    public init(
        host: String = "127.0.0.1", port: Int = 6379, username: String? = nil, password: String? = nil,
        database: Int = 0, connectTimeout: Duration = .milliseconds(250), commandTimeout: Duration = .milliseconds(500),
        maximumConnections: Int = 4
    ) {
        self.host = host
        self.port = port
        self.username = username
        self.password = password
        self.database = database
        self.connectTimeout = connectTimeout
        self.commandTimeout = commandTimeout
        self.maximumConnections = maximumConnections
    }

    /// Parses `redis://[[username]:password@]host[:port][/database]`, e.g. `redis://:s3cret@10.0.0.5:6380/2`.
    ///
    /// The password may be percent-encoded (`%40` for `@`). Defaults: port 6379, database 0. Throws a
    /// ``RedisURLError`` naming what is wrong, never quoting the password.
    public init(url: String) throws(RedisURLError) {
        self.init()
        guard let schemeEnd = url.firstRange(of: "://") else { throw .notAURL }
        let scheme = url[..<schemeEnd.lowerBound].lowercased()
        guard scheme == "redis" else {
            throw scheme == "rediss" ? .tlsNotSupported : .unsupportedScheme(String(scheme))
        }
        let rest = url[schemeEnd.upperBound...]
        guard !rest.contains("?"), !rest.contains("#") else { throw .unsupportedQuery }
        let authorityEnd = rest.firstIndex(of: "/") ?? rest.endIndex
        var authority = rest[..<authorityEnd]
        if let at = authority.lastIndex(of: "@") {
            try parseUserInfo(authority[..<at])
            authority = authority[authority.index(after: at)...]
        }
        try parseHostAndPort(authority)
        let path = rest[authorityEnd...].dropFirst()
        if !path.isEmpty {
            guard let database = Int(path), database >= 0 else { throw .invalidDatabase(String(path)) }
            self.database = database
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

    private mutating func parseHostAndPort(_ authority: Substring) throws(RedisURLError) {
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
        if let portText {
            guard let port = Int(portText), (1...65535).contains(port) else { throw .invalidPort(String(portText)) }
            self.port = port
        }
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

    /// The URL with the password replaced by `***`, safe for logs.
    public var description: String {
        let user = username ?? ""
        let credentials = password == nil ? "" : "\(user):***@"
        let hostPart = host.contains(":") ? "[\(host)]" : host
        return "redis://\(credentials)\(hostPart):\(port)/\(database)"
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

    public var description: String {
        let expected = "expected redis://[[user]:password@]host[:port][/db]"
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
        }
    }
}
