import Foundation
import NIOConcurrencyHelpers

/// How many live sockets may be open at once: at most `perUser` for one user and `perAddress` from one client
/// address, counted over every instance that shares the quota.
protocol SocketQuota: Sendable {
    var perUser: Int { get }
    var perAddress: Int { get }
    /// A place for one more socket of `user` from `address`, or the limit that refuses it.
    func admit(user: UUID, address: String) async -> SocketAdmission
    /// Gives the place back; call it once per lease (`SocketLease.end`).
    func release(_ lease: SocketLease) async
    /// At shutdown: gives back every place this instance holds.
    func shutdown() async
}

enum SocketAdmission: Sendable {
    case admitted(SocketLease)
    case refused(Reason)

    enum Reason: String, Sendable, CaseIterable {
        case perUser = "per_user"
        case perAddress = "per_address"
    }
}

/// One socket's place in the quota, from the admitted upgrade to the socket's close. A lease whose socket never
/// opened (the client left during the upgrade) is ended by a timer instead.
final class SocketLease: Sendable {
    let id = UUID()
    let user: UUID
    let address: String
    private let state = NIOLockedValueBox(State.pending)

    private enum State { case pending, attached, ended }

    init(user: UUID, address: String) {
        self.user = user
        self.address = address
    }

    /// The socket opened; false when the lease had already ended (it must not stay open).
    func attach() -> Bool {
        state.withLockedValue { state in
            guard state == .pending else { return false }
            state = .attached
            return true
        }
    }

    /// True the first time the lease ends: the caller then releases it.
    func end() -> Bool {
        state.withLockedValue { state in
            guard state != .ended else { return false }
            state = .ended
            return true
        }
    }

    /// Ends the lease if its socket never opened; true when it did so.
    func endIfPending() -> Bool {
        state.withLockedValue { state in
            guard state == .pending else { return false }
            state = .ended
            return true
        }
    }
}

/// One instance: the counts live here.
actor InProcessSocketQuota: SocketQuota {
    nonisolated let perUser: Int
    nonisolated let perAddress: Int
    private var byUser: [UUID: Int] = [:]
    private var byAddress: [String: Int] = [:]
    private var held: [UUID: SocketLease] = [:]

    init(perUser: Int, perAddress: Int) {
        self.perUser = perUser
        self.perAddress = perAddress
    }

    func admit(user: UUID, address: String) -> SocketAdmission {
        guard byUser[user, default: 0] < perUser else { return .refused(.perUser) }
        guard byAddress[address, default: 0] < perAddress else { return .refused(.perAddress) }
        let lease = SocketLease(user: user, address: address)
        held[lease.id] = lease
        byUser[user, default: 0] += 1
        byAddress[address, default: 0] += 1
        return .admitted(lease)
    }

    func release(_ lease: SocketLease) {
        guard held.removeValue(forKey: lease.id) != nil else { return }
        byUser[lease.user, default: 1] -= 1
        if byUser[lease.user] == 0 { byUser[lease.user] = nil }
        byAddress[lease.address, default: 1] -= 1
        if byAddress[lease.address] == 0 { byAddress[lease.address] = nil }
    }

    func shutdown() {
        held = [:]
        byUser = [:]
        byAddress = [:]
    }
}
