import Foundation
import NIOWebSocket

/// This instance's live sockets: by user (for notifications) and by show (for seat maps). Whatever an instance hears
/// on the `LiveBus` it hands here, and the hub sends it to its own sockets only.
///
/// While it has sockets, the hub also watches the `sessions` version of `Freshness` (moved by logout, password
/// change, disabling and role change, on any instance): when it moves, every socket's session is checked again on
/// the database, and the sockets whose session ended are closed with 4401 at once.
actor SocketHub {
    /// A socket follows at most this many shows at once.
    static let maxShowsPerSocket = 20
    /// The close code of a socket whose session ended: sign in again.
    static let sessionEnded = WebSocketErrorCode.unknown(4401)
    /// How often the `sessions` version is looked at; while it cannot be trusted (Redis configured, not subscribed),
    /// every socket is checked each `blindCheckInterval`.
    static let watchInterval: Duration = .milliseconds(200)
    static let blindCheckInterval: Duration = .seconds(5)

    private var sockets: [UUID: LiveSocket] = [:]
    private var byUser: [UUID: Set<UUID>] = [:]
    private var byShow: [UUID: Set<UUID>] = [:]
    private var showsOf: [UUID: Set<UUID>] = [:]
    /// The `sessions` version each socket's session was last known good under (none: not known).
    private var checkedUnder: [UUID: Int] = [:]
    private var lastBlindCheck = ContinuousClock.now
    private var watch: Task<Void, Never>?
    private let metrics: any AppMetrics
    private(set) var gate: LiveGate

    init(metrics: any AppMetrics) {
        self.metrics = metrics
        self.gate = .standalone(metrics: metrics)
    }

    /// Sets the limits, quota and session check of every socket opened from now on (once, at start).
    func use(_ gate: LiveGate) {
        self.gate = gate
    }

    var count: Int { sockets.count }

    /// Adds a socket whose session was found good under `version` of `sessions`.
    func add(_ socket: LiveSocket, checkedUnder version: Int? = nil) {
        sockets[socket.id] = socket
        byUser[socket.userID, default: []].insert(socket.id)
        checkedUnder[socket.id] = version
        metrics.gauge("websocket_connections", Double(sockets.count))
        startWatching()
    }

    func remove(_ id: UUID) {
        guard let socket = sockets.removeValue(forKey: id) else { return }
        checkedUnder[id] = nil
        byUser[socket.userID]?.remove(id)
        if byUser[socket.userID]?.isEmpty == true { byUser[socket.userID] = nil }
        for show in showsOf.removeValue(forKey: id) ?? [] { unindex(id, show) }
        metrics.gauge("websocket_connections", Double(sockets.count))
    }

    /// Asks every socket to close (1001 going away), forgets them and gives their quota back: at shutdown, so the
    /// server's graceful stop, which waits for every open connection, is not held up by live sockets.
    func closeAll() async {
        watch?.cancel()
        watch = nil
        let all = Array(sockets.values)
        for socket in all {
            socket.close(.goingAway)
            remove(socket.id)
        }
        for socket in all { await gate.release(socket.lease) }
        await gate.quota.shutdown()
    }

    // MARK: - Sessions

    private func startWatching() {
        guard watch == nil, let check = gate.sessions else { return }
        watch = Task { [weak self] in
            while !Task.isCancelled {
                try? await Task.sleep(for: Self.watchInterval)
                guard let self, await self.checkSessions(check) else { return }
            }
        }
    }

    /// Closes (4401) the sockets whose session ended since they were last checked. False when there is no socket
    /// left to watch (the watch stops; the next socket starts it again).
    func checkSessions(_ check: LiveSessionCheck) async -> Bool {
        guard !sockets.isEmpty else {
            watch = nil
            return false
        }
        let version = check.version()
        let due: [LiveSocket]
        if let version {
            due = sockets.values.filter { checkedUnder[$0.id] != version }
        } else if ContinuousClock.now - lastBlindCheck >= Self.blindCheckInterval {
            lastBlindCheck = .now
            due = Array(sockets.values)
        } else {
            due = []
        }
        guard !due.isEmpty else { return true }
        let ended: Set<UUID>
        do {
            ended = try await check.ended(due)
        } catch {
            check.logger.warning("live sessions not checked", metadata: ["error": "\(String(reflecting: error))"])
            return true
        }
        for socket in due where sockets[socket.id] != nil {
            if ended.contains(socket.id) {
                socket.close(Self.sessionEnded)
                remove(socket.id)
            } else {
                checkedUnder[socket.id] = version
            }
        }
        return true
    }

    /// False when the socket already follows `maxShowsPerSocket` other shows.
    func subscribe(_ id: UUID, to show: UUID) -> Bool {
        guard sockets[id] != nil else { return false }
        let shows = showsOf[id] ?? []
        guard shows.contains(show) || shows.count < Self.maxShowsPerSocket else { return false }
        showsOf[id, default: []].insert(show)
        byShow[show, default: []].insert(id)
        return true
    }

    func unsubscribe(_ id: UUID, from show: UUID) {
        showsOf[id]?.remove(show)
        unindex(id, show)
    }

    /// Sends the event to every socket here that should hear it; returns how many. A socket dropped for not reading
    /// is forgotten at once.
    @discardableResult
    func deliver(_ event: LiveEvent) -> Int {
        let targets: Set<UUID>
        switch event {
        case .seats(let change): targets = byShow[change.showId] ?? []
        case .notification(let user, _): targets = byUser[user] ?? []
        }
        guard !targets.isEmpty else { return 0 }
        let text = event.socketMessage
        var sent = 0
        for id in targets {
            guard let socket = sockets[id] else { continue }
            if socket.send(text) { sent += 1 } else { remove(id) }
        }
        return sent
    }

    private func unindex(_ id: UUID, _ show: UUID) {
        byShow[show]?.remove(id)
        if byShow[show]?.isEmpty == true { byShow[show] = nil }
    }
}
