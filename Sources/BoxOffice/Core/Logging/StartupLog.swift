import Vapor

/// Says when the app starts serving and when it begins to shut down, with what it runs on (never a secret: the
/// database location is redacted). Vapor's server finishes the requests in flight before it closes (it stops
/// accepting, then waits for open requests), which is what a rolling deploy needs.
struct StartupLog: LifecycleHandler {
    let config: AppConfig

    func didBootAsync(_ application: Application) async throws {
        application.logger.notice(
            "boxoffice started",
            metadata: [
                "environment": .string(application.environment.name),
                "database": .string(config.database.redacted),
                "redis": .string(config.redisURL == nil ? "off" : "on"),
                "gateway": .string("\(config.paymentGateway)"),
                "idle_timeout_s": .stringConvertible(config.httpIdleTimeoutSeconds),
                "metrics": .string(config.metricsToken == nil ? "loopback" : "token"),
            ])
        let host = Self.listenHost(
            arguments: application.environment.arguments, configured: application.http.server.configuration.hostname)
        if let warning = Self.metricsWarning(host: host, config: config) {
            application.logger.warning("\(warning)")
        }
    }

    func shutdownAsync(_ application: Application) async {
        application.logger.notice("boxoffice shutting down")
    }

    /// Reachable from other machines, with `/metrics` guarded only by "the peer is loopback": a proxy on this
    /// machine (every peer 127.0.0.1) would hand metrics to anyone unless `TRUSTED_PROXIES` names it.
    static func metricsWarning(host: String?, config: AppConfig) -> String? {
        guard let host, !isLoopbackHost(host), config.metricsToken == nil, config.trustedProxies.isEmpty else {
            return nil
        }
        return "listening on \(host) with neither METRICS_TOKEN nor TRUSTED_PROXIES: /metrics is served to every "
            + "loopback peer, which includes any proxy on this machine; set METRICS_TOKEN, or TRUSTED_PROXIES to the "
            + "proxy's address"
    }

    /// The host `serve` binds (its `--hostname`/`-H` or `--bind`/`-b`, else the configured one); nil for a Unix
    /// socket, which no other machine reaches. Read at boot, before the server starts and says where it listens.
    static func listenHost(arguments: [String], configured: String) -> String? {
        var host = configured
        var index = arguments.startIndex
        while index < arguments.endIndex {
            let argument = arguments[index]
            let (name, inline) = split(argument)
            let value = inline ?? (index + 1 < arguments.endIndex ? arguments[index + 1] : nil)
            switch name {
            case "--hostname", "-H": if let value { host = value }
            case "--bind", "-b": if let value { host = bindHost(value) }
            case "--unix-socket": return nil
            default: break
            }
            index += 1
        }
        return host
    }

    static func isLoopbackHost(_ host: String) -> Bool {
        let bare = host.trimmingCharacters(in: CharacterSet(charactersIn: "[]"))
        if bare.lowercased() == "localhost" { return true }
        guard let address = IPAddress(bare) else { return false }
        return address.bytes.count == 4
            ? address.bytes[0] == 127 : address.bytes == Array(repeating: 0, count: 15) + [1]
    }

    private static func split(_ argument: String) -> (String, String?) {
        guard argument.hasPrefix("--"), let equals = argument.firstIndex(of: "=") else { return (argument, nil) }
        return (String(argument[..<equals]), String(argument[argument.index(after: equals)...]))
    }

    /// `host:port`, `[v6]:port` or a bare host.
    private static func bindHost(_ value: String) -> String {
        if value.hasPrefix("["), let close = value.firstIndex(of: "]") {
            return String(value[value.index(after: value.startIndex)..<close])
        }
        let parts = value.split(separator: ":", omittingEmptySubsequences: false)
        return parts.count == 2 ? String(parts[0]) : value
    }
}
