import Fluent
import NIOConcurrencyHelpers
import NIOCore
import NIOWebSocket
import Vapor

/// One connected client, from upgrade to close: its socket is in the hub while it is open; it may follow shows and
/// its own place in a waiting room, ask for a pong, and nothing else. Messages are small and frames rate-limited (`LiveFrameGuard`); the server
/// pings, and a client that does not answer, whose access token expires, or whose session ends, is closed (it
/// reconnects with a fresh token).
struct LiveSession: Sendable {
    static let maxFrameBytes = 4096
    /// At most this many client frames (fragments and control frames included) in any `rateWindow`; more closes the
    /// socket (policy violation).
    static let maxMessages = 30
    static let rateWindow: Duration = .seconds(10)
    static let pingInterval: TimeAmount = .seconds(25)

    let user: AuthenticatedUser
    let lease: SocketLease
    /// The `sessions` version read before the session was found good (see `SocketHub.checkSessions`).
    let checkedUnder: Int?
    let hub: SocketHub
    let db: any Database
    let lifetime: TimeInterval
    let activity: LiveActivity
    /// The waiting rooms whose places a socket may follow (`follow_queue`).
    let rooms: WaitingRoomService
    let logger: Logger

    var userID: UUID { user.id }

    func run(_ ws: WebSocket, channel: any Channel) async {
        let socket = LiveSocket(user: user, lease: lease, socket: ws, channel: channel)
        let (hub, id, lifetime, lease, activity) = (hub, socket.id, lifetime, lease, activity)
        let queue = LiveQueueFollow()
        ws.onClose.whenComplete { _ in
            queue.stop()
            Task {
                await hub.remove(id)
                await hub.gate.release(lease)
            }
        }
        // The timer that gives back the place of a socket that never opened fired first: this one may not stay.
        guard lease.attach() else {
            socket.close(.unknown(1013))
            return
        }
        await hub.add(socket, checkedUnder: checkedUnder)
        ws.pingInterval = Self.pingInterval
        ws.onText { _, text in
            if await handle(text, socket, queue: queue) { activity.touch() }
        }
        // The async variants: they set the callback on the socket's event loop, as WebSocketKit requires.
        ws.onBinary { @Sendable (_: WebSocket, _: ByteBuffer) async in socket.close(.unacceptableData) }
        let expiry = Task {
            try? await Task.sleep(for: .seconds(lifetime))
            if !Task.isCancelled { socket.close(.policyViolation) }
        }
        ws.onClose.whenComplete { _ in expiry.cancel() }
        socket.send(Reply.ready(userID).text)
    }

    /// Answers one message; false when it was not one the server understands.
    private func handle(_ text: String, _ socket: LiveSocket, queue: LiveQueueFollow) async -> Bool {
        guard let message = try? JSONDecoder.api.decode(ClientMessage.self, from: Data(text.utf8)) else {
            socket.send(Reply.error(.badMessage, "Send JSON: {\"type\": \"subscribe\", \"show_id\": …}.").text)
            return false
        }
        switch (message.type, message.showId) {
        case ("follow_queue", _):
            guard let entry = message.entryId else { break }
            queue.follow(entry, user: user, rooms: rooms, db: db, socket: socket)
            return true
        case ("unfollow_queue", _):
            queue.stop()
            socket.send(Reply(type: "unfollowed_queue").text)
            return true
        case ("ping", _):
            socket.send(Reply(type: "pong").text)
            return true
        case ("subscribe", let show?):
            guard (try? await Show.find(show, on: db)) != nil else {
                socket.send(Reply.error(.notFound, "Show not found.", show: show).text)
                return true
            }
            guard await hub.subscribe(socket.id, to: show) else {
                socket.send(
                    Reply.error(
                        .tooManySubscriptions, "Follow at most \(SocketHub.maxShowsPerSocket) shows.", show: show
                    )
                    .text)
                return true
            }
            socket.send(Reply(type: "subscribed", showId: show).text)
            return true
        case ("unsubscribe", let show?):
            await hub.unsubscribe(socket.id, from: show)
            socket.send(Reply(type: "unsubscribed", showId: show).text)
            return true
        default:
            break
        }
        socket.send(Reply.error(.badMessage, "Unknown type, or show_id (entry_id) missing or not a UUID.").text)
        return false
    }

    private struct ClientMessage: Decodable {
        var type: String
        var showId: UUID?
        var entryId: UUID?
    }

    /// What the server says about the connection itself (events are `LiveEvent.socketMessage`).
    struct Reply: Encodable {
        var type: String
        var showId: UUID?
        var userId: UUID?
        var entryId: UUID?
        var code: ErrorCode?
        var detail: String?

        static func ready(_ user: UUID) -> Reply { Reply(type: "ready", userId: user) }

        static func error(_ code: ErrorCode, _ detail: String, show: UUID? = nil, entry: UUID? = nil) -> Reply {
            Reply(type: "error", showId: show, entryId: entry, code: code, detail: detail)
        }

        var text: String { (try? JSONEncoder.api.encode(self)).map { String(decoding: $0, as: UTF8.self) } ?? "{}" }
    }
}
