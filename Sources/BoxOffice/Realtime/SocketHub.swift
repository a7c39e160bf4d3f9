import Foundation

/// This instance's live sockets: by user (for notifications) and by show (for seat maps). Whatever an instance hears
/// on the `LiveBus` it hands here, and the hub sends it to its own sockets only.
actor SocketHub {
    /// A socket follows at most this many shows at once.
    static let maxShowsPerSocket = 20

    private var sockets: [UUID: LiveSocket] = [:]
    private var byUser: [UUID: Set<UUID>] = [:]
    private var byShow: [UUID: Set<UUID>] = [:]
    private var showsOf: [UUID: Set<UUID>] = [:]
    private let metrics: any AppMetrics

    init(metrics: any AppMetrics) {
        self.metrics = metrics
    }

    var count: Int { sockets.count }

    func add(_ socket: LiveSocket) {
        sockets[socket.id] = socket
        byUser[socket.userID, default: []].insert(socket.id)
        metrics.gauge("websocket_connections", Double(sockets.count))
    }

    func remove(_ id: UUID) {
        guard let socket = sockets.removeValue(forKey: id) else { return }
        byUser[socket.userID]?.remove(id)
        if byUser[socket.userID]?.isEmpty == true { byUser[socket.userID] = nil }
        for show in showsOf.removeValue(forKey: id) ?? [] { unindex(id, show) }
        metrics.gauge("websocket_connections", Double(sockets.count))
    }

    /// Asks every socket to close (1001 going away) and forgets them: at shutdown, so the server's graceful stop,
    /// which waits for every open connection, is not held up by live sockets.
    func closeAll() {
        for socket in sockets.values { socket.close(.goingAway) }
        for id in Array(sockets.keys) { remove(id) }
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
