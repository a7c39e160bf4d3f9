import Crypto
import Foundation
import NIOConcurrencyHelpers
import RESP
import Vapor

/// The socket quota every instance shares: one sorted set per user and one per client address (named by a hash, so
/// no address is stored), each member a socket's lease scored by when it lapses. One Lua script forgets lapsed
/// members, checks both counts and adds the lease, atomically and on Redis's clock. While a socket is open its
/// instance renews its leases every `ttl / 3`; the sockets of an instance that crashed lapse after `ttl`.
///
/// Every quota key carries the one hash tag `{quota}`, so in Redis Cluster they share one slot (one node): the admit
/// script checks a user's and an address's set together, and one renew script moves many leases of many users and
/// addresses. The traffic is one script per socket opened and one per 250 leases per `ttl / 3`, which one node
/// carries easily. Keys of the former, untagged layout (`ws:user:…`, `ws:address:…`) lapse within `ttl`.
///
/// While Redis cannot be reached, sockets are counted on this instance alone (as the rate limiter does): neither
/// unlimited nor refused because Redis is down.
final class RedisSocketQuota: SocketQuota {
    let perUser: Int
    let perAddress: Int
    private let redis: RedisClient
    private let prefix: String
    private let ttl: Duration
    private let fallback: InProcessSocketQuota
    private let logger: Logger
    /// This instance's leases, and whether Redis holds each (else the fallback does).
    private let leases = NIOLockedValueBox<[UUID: (lease: SocketLease, inRedis: Bool)]>([:])
    private let renewal = NIOLockedValueBox<Task<Void, Never>?>(nil)

    init(
        redis: RedisClient, prefix: String, perUser: Int, perAddress: Int, ttl: Duration = .seconds(60),
        logger: Logger
    ) {
        self.redis = redis
        self.prefix = prefix
        self.perUser = perUser
        self.perAddress = perAddress
        self.ttl = ttl
        self.fallback = InProcessSocketQuota(perUser: perUser, perAddress: perAddress)
        self.logger = logger
    }

    func admit(user: UUID, address: String) async -> SocketAdmission {
        let lease = SocketLease(user: user, address: address)
        do {
            let reply = try await redis.evalSHA(
                Self.admit, keys: keys(lease),
                arguments: [String(perUser), String(perAddress), lease.id.uuidString, String(ttlMilliseconds)])
            switch reply.int {
            case 0?:
                leases.withLockedValue { $0[lease.id] = (lease, true) }
                startRenewing()
                return .admitted(lease)
            case 1?: return .refused(.perUser)
            case 2?: return .refused(.perAddress)
            default: throw RedisClientError.unexpectedReply(command: "EVALSHA", reply: reply)
            }
        } catch {
            logger.warning(
                "socket quota: Redis unavailable, counting on this instance",
                metadata: ["error": "\(String(describing: error))"])
            let admission = await fallback.admit(user: user, address: address)
            if case .admitted(let local) = admission { leases.withLockedValue { $0[local.id] = (local, false) } }
            return admission
        }
    }

    func release(_ lease: SocketLease) async {
        guard let held = leases.withLockedValue({ $0.removeValue(forKey: lease.id) }) else { return }
        guard held.inRedis else { return await fallback.release(lease) }
        do {
            let member = lease.id.uuidString
            _ = try await redis.pipeline(keys(lease).map { ["ZREM", $0, member] })
        } catch {
            logger.warning("socket quota: lease not released, it lapses by itself", metadata: ["error": "\(error)"])
        }
    }

    func shutdown() async {
        renewal.withLockedValue {
            $0?.cancel()
            $0 = nil
        }
        let held = leases.withLockedValue { $0.values.map(\.lease) }
        for lease in held { await release(lease) }
    }

    /// Renews this instance's leases in Redis while it has any.
    private func startRenewing() {
        let interval = ttl / 3
        renewal.withLockedValue { task in
            guard task == nil else { return }
            task = Task { [weak self] in
                while !Task.isCancelled {
                    try? await Task.sleep(for: interval)
                    guard let self, !Task.isCancelled else { return }
                    await self.renew()
                }
            }
        }
    }

    /// Moves every lease this instance holds in Redis a TTL past now (the renewal loop's step).
    func renew() async {
        let held = leases.withLockedValue { $0.values.filter(\.inRedis).map(\.lease) }
        for chunk in stride(from: 0, to: held.count, by: 250).map({ held[$0..<min($0 + 250, held.count)] }) {
            let members = chunk.flatMap { [$0.id.uuidString, $0.id.uuidString] }
            do {
                _ = try await redis.evalSHA(
                    Self.renew, keys: chunk.flatMap { keys($0) }, arguments: [String(ttlMilliseconds)] + members)
            } catch {
                logger.warning("socket quota: leases not renewed", metadata: ["error": "\(error)"])
                return
            }
        }
    }

    private var ttlMilliseconds: Int64 { Int64((ttl.seconds * 1000).rounded()) }

    private func keys(_ lease: SocketLease) -> [String] {
        [Self.userKey(prefix: prefix, user: lease.user), Self.addressKey(prefix: prefix, address: lease.address)]
    }

    /// A user's leases, in the quota's one slot.
    static func userKey(prefix: String, user: UUID) -> String { "\(prefix)ws:{quota}:user:\(user.uuidString)" }

    /// A client address's leases, in the quota's one slot; named by a hash of the address.
    static func addressKey(prefix: String, address: String) -> String {
        let hash = SHA256.hash(data: Data(address.utf8)).prefix(16).map { String(format: "%02x", $0) }
        return "\(prefix)ws:{quota}:address:\(hash.joined())"
    }

    /// KEYS: the user's set, the address's set; ARGV: per-user limit, per-address limit, lease, ttl in ms.
    /// Returns 0 (admitted, lease added to both), 1 (user full) or 2 (address full).
    static let admit = RedisScript(
        """
        local time = redis.call('TIME')
        local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
        redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
        redis.call('ZREMRANGEBYSCORE', KEYS[2], '-inf', now)
        if redis.call('ZCARD', KEYS[1]) >= tonumber(ARGV[1]) then return 1 end
        if redis.call('ZCARD', KEYS[2]) >= tonumber(ARGV[2]) then return 2 end
        local ttl = tonumber(ARGV[4])
        for i = 1, 2 do
          redis.call('ZADD', KEYS[i], now + ttl, ARGV[3])
          redis.call('PEXPIRE', KEYS[i], ttl)
        end
        return 0
        """)

    /// KEYS: sets; ARGV: ttl in ms, then the lease to renew in each key, in order.
    static let renew = RedisScript(
        """
        local time = redis.call('TIME')
        local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
        local ttl = tonumber(ARGV[1])
        for i = 1, #KEYS do
          redis.call('ZADD', KEYS[i], now + ttl, ARGV[i + 1])
          redis.call('PEXPIRE', KEYS[i], ttl)
        end
        return #KEYS
        """)
}
