import Vapor

/// `GET /ws`: the live connection. The access token is checked before the upgrade (query `token`, since browsers
/// cannot set headers on a WebSocket, or `Authorization: Bearer`); without a valid one the answer is a plain 401
/// problem and no socket is opened. The protocol is described in the README ("Live updates").
struct LiveController: RouteCollection {
    let authenticator: UserAuthenticator
    let live: any LiveBus
    let clock: any AppClock

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
            errors: [.unauthorized, .upgradeRequired], use: connect
        ).withoutDeadline()
    }

    @Sendable func connect(req: Request) async throws -> Response {
        guard let token = try req.queryText("token") ?? req.headers.bearerAuthorization?.token else {
            throw APIError.unauthorized("authentication_required", "Connect with ?token=<access token>.")
        }
        let (user, expiresAt) = try await authenticator.authenticateUntil(token, on: req.db)
        guard req.headers[.upgrade].contains(where: { $0.lowercased() == "websocket" }) else {
            throw APIError(.upgradeRequired, code: "upgrade_required", detail: "This route speaks WebSocket only.")
        }
        let session = LiveSession(
            userID: user.id, hub: live.hub, db: req.application.db,
            lifetime: max(0, expiresAt.timeIntervalSince(clock.now())), logger: req.logger)
        return req.webSocket(maxFrameSize: WebSocketMaxFrameSize(integerLiteral: LiveSession.maxFrameBytes)) { _, ws in
            await session.run(ws)
        }
    }
}
