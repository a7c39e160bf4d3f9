import NIOConcurrencyHelpers
import NIOCore
import NIOWebSocket
import Vapor

/// One client's WebSocket, as the hub sees it: whose session it belongs to, and how much sent text it has not yet
/// taken.
///
/// Sends never wait. Text the client has not read counts against `maxPendingBytes`; a client that falls that far
/// behind is dropped (asked to close, and sent nothing more), so one slow reader never holds up the others or grows
/// the server's memory.
final class LiveSocket: Sendable {
    let id = UUID()
    let userID: UUID
    let sessionID: UUID
    /// The role the socket was opened with: another role closes it (`SocketHub.checkSessions`).
    let role: UserRole
    let lease: SocketLease
    let maxPendingBytes: Int
    private let socket: WebSocket
    /// Closes go through the channel's `LiveFrameGuard`, which also ends a socket whose client never answers.
    private let channel: any Channel
    private let pending = NIOLockedValueBox(Pending())

    private struct Pending {
        var bytes = 0
        var dropped = false
    }

    init(
        user: AuthenticatedUser, lease: SocketLease, socket: WebSocket, channel: any Channel,
        maxPendingBytes: Int = 1 << 20
    ) {
        self.userID = user.id
        self.sessionID = user.sessionID
        self.role = user.role
        self.lease = lease
        self.socket = socket
        self.channel = channel
        self.maxPendingBytes = maxPendingBytes
    }

    /// Queues `text`; false when the client was (or is now) dropped for not reading.
    @discardableResult
    func send(_ text: String) -> Bool {
        let size = text.utf8.count
        enum Outcome { case queued, dropsNow, droppedBefore }
        let outcome = pending.withLockedValue { pending -> Outcome in
            guard !pending.dropped else { return .droppedBefore }
            guard pending.bytes + size <= maxPendingBytes else {
                pending.dropped = true
                return .dropsNow
            }
            pending.bytes += size
            return .queued
        }
        switch outcome {
        case .queued: break
        case .dropsNow:
            close(.policyViolation)  // once, when it falls behind
            return false
        case .droppedBefore: return false
        }
        let written = socket.eventLoop.makePromise(of: Void.self)
        written.futureResult.whenComplete { [pending] _ in pending.withLockedValue { $0.bytes -= size } }
        socket.send(text, promise: written)
        return true
    }

    var isDropped: Bool { pending.withLockedValue { $0.dropped } }

    func close(_ code: WebSocketErrorCode) {
        channel.triggerUserOutboundEvent(LiveFrameGuard.Close(code: code), promise: nil)
    }
}
