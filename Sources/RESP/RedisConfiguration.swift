/// Where and how to connect to Redis, usually parsed from `REDIS_URL` (see ``init(url:)``).
///
/// One server by default; with ``clusterNodes`` set, a Redis Cluster that ``RedisClient`` routes by key.
public struct RedisConfiguration: Sendable, Hashable, CustomStringConvertible {
    /// The server; in a cluster, the first seed node (connections to other nodes use their own address).
    public var host: String
    public var port: Int
    /// The ACL user for `AUTH user password` (Redis 6+); `nil` authenticates as the default user.
    public var username: String?
    /// Sent with `AUTH` right after connecting; `nil` skips `AUTH`.
    public var password: String?
    /// Selected with `SELECT` right after connecting when it is not 0. A cluster has only database 0.
    public var database: Int
    /// How long a TCP connect may take. Short, because Redis is near: a Redis that cannot be reached fast
    /// should fail the request (503) rather than hold it.
    public var connectTimeout: Duration
    /// How long a reply may take before the connection is closed and the caller gets
    /// ``RedisClientError/commandTimeout(after:)``. Blocking commands (`BLPOP k 5`) need a per-command timeout.
    /// In a cluster it also bounds the retries of one command (redirects, failover).
    public var commandTimeout: Duration
    /// How many connections ``RedisClient`` keeps at most; in a cluster, to each master node.
    public var maximumConnections: Int
    /// The nodes ``RedisClient`` asks for the cluster's slot map (any few of its nodes will do: the client learns
    /// the others from them). Empty for a single server.
    public var clusterNodes: [RedisNodeAddress]

    public init(
        host: String = "127.0.0.1", port: Int = 6379, username: String? = nil, password: String? = nil,
        database: Int = 0, connectTimeout: Duration = .milliseconds(250), commandTimeout: Duration = .milliseconds(500),
        maximumConnections: Int = 4, clusterNodes: [RedisNodeAddress] = []
    ) {
        self.host = host
        self.port = port
        self.username = username
        self.password = password
        self.database = database
        self.connectTimeout = connectTimeout
        self.commandTimeout = commandTimeout
        self.maximumConnections = maximumConnections
        self.clusterNodes = clusterNodes
    }

    /// Whether ``RedisClient`` talks to a Redis Cluster (routing each command to the node of its keys) rather
    /// than to one server.
    public var isCluster: Bool { !clusterNodes.isEmpty }

    /// Turns a single-server configuration (`redis://host:port`) into a cluster one with that server as the seed,
    /// for deployments that say "cluster" apart from the URL (`REDIS_CLUSTER=true`).
    ///
    /// Throws ``RedisURLError/databaseInCluster(_:)`` when a database other than 0 is selected: a cluster has only
    /// database 0, and quietly using it instead would mix data meant to be apart.
    public mutating func useAsClusterSeed() throws(RedisURLError) {
        guard database == 0 else { throw .databaseInCluster(String(database)) }
        if clusterNodes.isEmpty { clusterNodes = [RedisNodeAddress(host: host, port: port)] }
    }

    /// This configuration aimed at one node of the cluster: same credentials and timeouts, that node's address
    /// (which is what its connections then log).
    func node(_ address: RedisNodeAddress) -> RedisConfiguration {
        var configuration = self
        configuration.host = address.host
        configuration.port = address.port
        configuration.clusterNodes = []
        return configuration
    }

    /// The URL with the password replaced by `***`, safe for logs; a cluster shows every seed node.
    public var description: String {
        let user = username ?? ""
        let credentials = password == nil ? "" : "\(user):***@"
        if isCluster {
            return "redis+cluster://\(credentials)" + clusterNodes.map(\.description).joined(separator: ",")
        }
        return "redis://\(credentials)\(RedisNodeAddress(host: host, port: port))/\(database)"
    }
}
