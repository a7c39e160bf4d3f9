import Fluent
import NIOCore
import RESP
import Vapor

/// What a live socket must pass, set once at start (`SocketHub.use`): the limits on its frames, the quota of open
/// sockets, and the check that its session is still good.
struct LiveGate: Sendable {
    var limits: LiveFrameGuard.Limits
    var quota: any SocketQuota
    /// nil: sessions are not re-checked after the upgrade (a hub that was never given a gate).
    var sessions: LiveSessionCheck?
    var metrics: any AppMetrics

    /// Without configuration: the default limits, counted on this instance.
    static func standalone(metrics: any AppMetrics) -> LiveGate {
        LiveGate(
            limits: .init(), quota: InProcessSocketQuota(perUser: 5, perAddress: 50), sessions: nil, metrics: metrics)
    }

    /// The app's gate: sockets counted through Redis when there is one, sessions re-checked on the app's database
    /// whenever `Freshness` says sessions changed, here or on another instance.
    static func make(
        _ app: Application, config: AppConfig, redis: RedisClient?, freshness: Freshness, metrics: any AppMetrics
    ) -> LiveGate {
        let quota: any SocketQuota =
            redis.map {
                RedisSocketQuota(
                    redis: $0, prefix: config.redisKeyPrefix, perUser: config.wsMaxPerUser,
                    perAddress: config.wsMaxPerAddress, logger: app.logger)
            } ?? InProcessSocketQuota(perUser: config.wsMaxPerUser, perAddress: config.wsMaxPerAddress)
        var limits = LiveFrameGuard.Limits()
        let idle = config.liveIdleTimeoutSeconds ?? config.httpIdleTimeoutSeconds
        if idle > 0 { limits.idleTimeout = .seconds(Int64(idle)) }
        return LiveGate(
            limits: limits, quota: quota,
            sessions: LiveSessionCheck(db: app.db, freshness: freshness, logger: app.logger), metrics: metrics)
    }

    /// A place for one more socket, or a 429 (counted in `ws_rejected_total` by reason).
    func admit(_ user: UUID, from address: String) async throws -> SocketLease {
        switch await quota.admit(user: user, address: address) {
        case .admitted(let lease):
            return lease
        case .refused(let reason):
            metrics.increment("ws_rejected_total", by: 1, labels: ["reason": reason.rawValue])
            var headers = HTTPHeaders()
            headers.replaceOrAdd(name: .retryAfter, value: "10")
            let detail =
                reason == .perUser
                ? "At most \(quota.perUser) live connections per account: close one first."
                : "At most \(quota.perAddress) live connections from one address: close one first."
            throw APIError(.tooManyRequests, code: .tooManySockets, detail: detail, headers: headers)
        }
    }

    /// Gives a lease back, once.
    func release(_ lease: SocketLease) async {
        if lease.end() { await quota.release(lease) }
    }
}

/// Whether live sockets' sessions still stand: not revoked (logout, password change elsewhere, refresh-token
/// reuse), the account not disabled, the role the one the socket was opened with. Read from the database, never from
/// the session cache.
struct LiveSessionCheck: Sendable {
    let db: any Database
    let freshness: Freshness
    let logger: Logger

    /// The version of `sessions` to compare a socket's last check with; nil while changes may go unheard.
    func version() -> Int? { freshness.version(.sessions) }

    /// The sockets among `sockets` whose session no longer stands.
    func ended(_ sockets: [LiveSocket]) async throws -> Set<UUID> {
        let ids = Array(Set(sockets.map(\.sessionID)))
        var standing: [UUID: (user: UUID, role: UserRole)] = [:]
        for start in stride(from: 0, to: ids.count, by: 500) {
            let rows = try await UserSession.query(on: db)
                .join(User.self, on: \UserSession.$user.$id == \User.$id)
                .filter(\.$id ~~ Array(ids[start..<min(start + 500, ids.count)]))
                .filter(\.$revokedAt == nil)
                .filter(User.self, \.$isDisabled == false)
                .all()
            for row in rows {
                let user = try row.joined(User.self)
                if let id = row.id, let userID = user.id { standing[id] = (userID, user.role) }
            }
        }
        return Set(
            sockets.filter { socket in
                guard let session = standing[socket.sessionID] else { return true }
                return session.user != socket.userID || session.role != socket.role
            }.map(\.id))
    }
}
