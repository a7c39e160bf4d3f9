import Fluent
import NIOConcurrencyHelpers
import Vapor

/// A socket's place in a waiting room, pushed as it moves (`{"type": "follow_queue", "entry_id": …}`), so a customer's
/// page need not poll `GET /queue/{entry_id}`.
///
/// Places move with time (the room admits at its rate; before the sale, later joiners can draw places ahead), not
/// with events, so each follow is a small loop: read the place, send it, sleep until the next change is due, which is
/// the admission itself when that comes first (`estimated_wait_seconds` is rounded up, so the place read then is
/// admitted). It ends when the place is admitted or expired, when another follow replaces it (one per socket), on
/// `unfollow_queue`, and when the socket closes. Only the socket's own account's entries can be followed: anyone
/// else's is `not_found`, as over HTTP.
final class LiveQueueFollow: Sendable {
    /// The longest pause between two pushes while waiting: a place far back still hears that it moved.
    static let maxPause = 10
    private let task = NIOLockedValueBox<Task<Void, Never>?>(nil)

    /// Starts following `entry` for `user`, replacing any earlier follow of this socket.
    func follow(
        _ entry: UUID, user: AuthenticatedUser, rooms: WaitingRoomService, db: any Database, socket: LiveSocket
    ) {
        let loop = Task {
            while !Task.isCancelled {
                let place: QueueEntryResponse
                do {
                    place = try await rooms.entry(entry, for: user, on: db)
                } catch let error as APIError where error.status == .notFound {
                    socket.send(LiveSession.Reply.error(.notFound, "Queue entry not found.", entry: entry).text)
                    return
                } catch {
                    // Redis or the database unreachable for a moment: try again shortly, as a polling page would.
                    try? await Task.sleep(for: .seconds(2))
                    continue
                }
                guard !Task.isCancelled, socket.send(QueueMessage(entry: place).text) else { return }
                guard place.state == .waiting else { return }
                let pause = max(1, min(place.estimatedWaitSeconds, place.pollAfterSeconds, Self.maxPause))
                try? await Task.sleep(for: .seconds(pause))
            }
        }
        task.withLockedValue { running in
            running?.cancel()
            running = loop
        }
    }

    /// Stops the follow, if any.
    func stop() {
        task.withLockedValue { running in
            running?.cancel()
            running = nil
        }
    }

    /// `{"type": "queue", "entry": {…}}`: the same object as `GET /queue/{entry_id}` answers.
    private struct QueueMessage: Encodable {
        var type = "queue"
        var entry: QueueEntryResponse

        var text: String { (try? JSONEncoder.api.encode(self)).map { String(decoding: $0, as: UTF8.self) } ?? "{}" }
    }
}
