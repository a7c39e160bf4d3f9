import NIOConcurrencyHelpers
import Vapor

/// Who a session belongs to and what they may do, kept so a signed-in request costs no database read.
///
/// An entry counts only under the `sessions` version it was read under. Logout, password change, disabling,
/// promotion and any role change move that version after their transaction commits (here, and through `Freshness` on
/// every other instance), so the next request of an ended session reads the database and is refused. `lifetime`
/// bounds an entry in case a change was made where no instance could hear it (a command-line tool on SQLite).
final class SessionCache: Sendable {
    private struct Entry {
        var user: AuthenticatedUser
        var version: Int
        var cachedAt: ContinuousClock.Instant
    }

    let freshness: Freshness
    private let lifetime: Duration
    private let capacity: Int
    private let entries = NIOLockedValueBox<[UUID: Entry]>([:])

    init(freshness: Freshness, lifetime: Duration = .seconds(30), capacity: Int = 100_000) {
        self.freshness = freshness
        self.lifetime = lifetime
        self.capacity = capacity
    }

    /// The session's user when the database need not be asked; the version to `remember` under otherwise.
    func lookup(_ sessionID: UUID) -> (user: AuthenticatedUser?, version: Int?) {
        guard let version = freshness.version(.sessions) else { return (nil, nil) }
        let now = ContinuousClock.now
        let entry = entries.withLockedValue { $0[sessionID] }
        guard let entry, entry.version == version, now - entry.cachedAt < lifetime else { return (nil, version) }
        return (entry.user, version)
    }

    /// Keeps what the database said, under the version read before asking it.
    func remember(_ user: AuthenticatedUser, version: Int?) {
        guard let version else { return }
        let entry = Entry(user: user, version: version, cachedAt: .now)
        entries.withLockedValue { entries in
            if entries.count >= capacity { entries.removeAll(keepingCapacity: true) }
            entries[user.sessionID] = entry
        }
    }

    /// After a change to sessions or accounts committed: no cached session is used again.
    func changed() async {
        await freshness.bump(.sessions)
    }
}
