import NIOConcurrencyHelpers
import NIOCore
import NIOWebSocket
import Vapor

/// One client's WebSocket, as the hub sees it: who it belongs to, and how much sent text it has not yet taken.
///
/// Sends never wait. Text the client has not read counts against `maxPendingBytes`; a client that falls that far
/// behind is dropped (asked to close, and sent nothing more), so one slow reader never holds up the others or grows
/// the server's memory.
final class LiveSocket: Sendable {
    let id = UUID()
    let userID: UUID
    let maxPendingBytes: Int
    private let socket: WebSocket
    private let pending = NIOLockedValueBox(Pending())

    private struct Pending {
        var bytes = 0
        var dropped = false
    }

    init(userID: UUID, socket: WebSocket, maxPendingBytes: Int = 1 << 20) {
        self.userID = userID
        self.socket = socket
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
        socket.close(code: code, promise: nil)
    }
}
