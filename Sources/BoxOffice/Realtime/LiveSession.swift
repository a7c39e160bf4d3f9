import Fluent
import NIOConcurrencyHelpers
import NIOCore
import NIOWebSocket
import Vapor

/// One connected client, from upgrade to close: its socket is in the hub while it is open; it may follow shows,
/// ask for a pong, and nothing else. Frames are small and messages rate-limited; the server pings, and a client
/// that does not answer, or whose access token expires, is closed (it reconnects with a fresh token).
struct LiveSession: Sendable {
    static let maxFrameBytes = 4096
    /// At most this many client messages in any `rateWindow`; more closes the socket (policy violation).
    static let maxMessages = 30
    static let rateWindow: Duration = .seconds(10)
    static let pingInterval: TimeAmount = .seconds(25)

    let userID: UUID
    let hub: SocketHub
    let db: any Database
    let lifetime: TimeInterval
    let logger: Logger

    func run(_ ws: WebSocket) async {
        let socket = LiveSocket(userID: userID, socket: ws)
        await hub.add(socket)
        ws.pingInterval = Self.pingInterval
        let rate = NIOLockedValueBox(MessageRate())
        ws.onText { ws, text in
            guard rate.withLockedValue({ $0.allow(now: ContinuousClock.now) }) else {
                socket.send(Reply.error("rate_limited", "More than \(Self.maxMessages) messages in 10 s.").text)
                try? await ws.close(code: .policyViolation)
                return
            }
            await handle(text, socket)
        }
        ws.onBinary { ws, _ in try? await ws.close(code: .unacceptableData) }
        let (hub, id, lifetime) = (hub, socket.id, lifetime)
        let expiry = Task {
            try? await Task.sleep(for: .seconds(lifetime))
            if !Task.isCancelled { try? await ws.close(code: .policyViolation) }
        }
        ws.onClose.whenComplete { _ in
            expiry.cancel()
            Task { await hub.remove(id) }
        }
        socket.send(Reply.ready(userID).text)
    }

    private func handle(_ text: String, _ socket: LiveSocket) async {
        guard let message = try? JSONDecoder.api.decode(ClientMessage.self, from: Data(text.utf8)) else {
            socket.send(Reply.error("bad_message", "Send JSON: {\"type\": \"subscribe\", \"show_id\": …}.").text)
            return
        }
        switch (message.type, message.showId) {
        case ("ping", _):
            socket.send(Reply(type: "pong").text)
        case ("subscribe", let show?):
            guard (try? await Show.find(show, on: db)) != nil else {
                socket.send(Reply.error("not_found", "Show not found.", show: show).text)
                return
            }
            guard await hub.subscribe(socket.id, to: show) else {
                socket.send(
                    Reply.error(
                        "too_many_subscriptions", "Follow at most \(SocketHub.maxShowsPerSocket) shows.", show: show
                    )
                    .text)
                return
            }
            socket.send(Reply(type: "subscribed", showId: show).text)
        case ("unsubscribe", let show?):
            await hub.unsubscribe(socket.id, from: show)
            socket.send(Reply(type: "unsubscribed", showId: show).text)
        default:
            socket.send(Reply.error("bad_message", "Unknown type, or show_id missing or not a UUID.").text)
        }
    }

    private struct ClientMessage: Decodable {
        var type: String
        var showId: UUID?
    }

    /// What the server says about the connection itself (events are `LiveEvent.socketMessage`).
    struct Reply: Encodable {
        var type: String
        var showId: UUID?
        var userId: UUID?
        var code: String?
        var detail: String?

        static func ready(_ user: UUID) -> Reply { Reply(type: "ready", userId: user) }

        static func error(_ code: String, _ detail: String, show: UUID? = nil) -> Reply {
            Reply(type: "error", showId: show, code: code, detail: detail)
        }

        var text: String { (try? JSONEncoder.api.encode(self)).map { String(decoding: $0, as: UTF8.self) } ?? "{}" }
    }

    /// A fixed window: `maxMessages` per `rateWindow`.
    struct MessageRate {
        var windowStart: ContinuousClock.Instant?
        var count = 0

        mutating func allow(now: ContinuousClock.Instant) -> Bool {
            if let start = windowStart, now - start < LiveSession.rateWindow {
                count += 1
            } else {
                windowStart = now
                count = 1
            }
            return count <= LiveSession.maxMessages
        }
    }
}
