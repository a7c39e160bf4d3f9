import NIOCore
import Vapor

/// `GET /ws`: the live connection. The access token is checked before the upgrade (query `token`, since browsers
/// cannot set headers on a WebSocket, or `Authorization: Bearer`); without a valid one the answer is a plain 401
/// problem and no socket is opened. Past `WS_MAX_PER_USER` sockets of one user, or `WS_MAX_PER_ADDRESS` from one
/// client address, the answer is a 429. The protocol is described in the README ("Live updates").
struct LiveController: RouteCollection {
    /// How long an admitted upgrade may take to open its socket before its quota place is given back.
    static let upgradeDeadline: TimeAmount = .seconds(10)

    let authenticator: UserAuthenticator
    let live: any LiveBus
    let clock: any AppClock
    let rooms: WaitingRoomService

    func boot(routes: any RoutesBuilder) throws {
        let api = APIRoutes(builder: routes.grouped("ws"), access: .public, tag: "Live")
        api.on(
            .GET,
            summary: "Open the live WebSocket: notifications as they happen, and the seat changes of followed shows",
            status: .switchingProtocols,
            query: [
                .init(
                    name: "token", schema: .string(required: false),
                    description: "The access token (or send it as Authorization: Bearer)")
            ],
            errors: [.unauthorized, .upgradeRequired, .tooManyRequests], use: connect
        ).withoutDeadline()
    }

    @Sendable func connect(req: Request) async throws -> Response {
        guard let token = try req.queryText("token") ?? req.headers.bearerAuthorization?.token else {
            throw APIError.unauthorized(.authenticationRequired, "Connect with ?token=<access token>.")
        }
        let hub = live.hub
        let gate = await hub.gate
        // Read before the session is: a change after this moves the version and the session is checked again.
        let checkedUnder = gate.sessions?.version()
        let (user, expiresAt) = try await authenticator.authenticateUntil(token, on: req.db)
        guard req.headers[.upgrade].contains(where: { $0.lowercased() == "websocket" }) else {
            throw APIError(.upgradeRequired, code: .upgradeRequired, detail: "This route speaks WebSocket only.")
        }
        // An IPv6 client is counted by its /64, as in every per-address rate limit.
        let lease = try await gate.admit(user.id, from: Throttle.counted(req.clientAddress))
        let activity = LiveActivity()
        let session = LiveSession(
            user: user, lease: lease, checkedUnder: checkedUnder, hub: hub, db: req.application.db,
            lifetime: max(0, expiresAt.timeIntervalSince(clock.now())), activity: activity, rooms: rooms,
            logger: req.logger)
        req.eventLoop.scheduleTask(in: Self.upgradeDeadline) {
            if lease.endIfPending() { Task { await gate.quota.release(lease) } }
        }
        let response = Response(status: .switchingProtocols)
        response.upgrader = LiveUpgrader(limits: gate.limits, activity: activity) { ws, channel in
            Task { await session.run(ws, channel: channel) }
        }
        return response
    }
}
