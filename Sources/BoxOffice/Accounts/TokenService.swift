import JWTKit
import Vapor

/// Signs and checks HS256 tokens with `JWT_SECRET`; expiry is judged by the injected clock.
struct TokenService: Sendable {
    let keys: JWTKeyCollection
    let clock: any AppClock
    let accessLifetime: TimeInterval
    let refreshLifetime: TimeInterval

    static func make(secret: String, clock: any AppClock, config: AppConfig) async -> TokenService {
        let keys = JWTKeyCollection()
        await keys.add(hmac: HMACKey(from: secret), digestAlgorithm: .sha256)
        return TokenService(
            keys: keys, clock: clock, accessLifetime: config.accessTokenLifetime,
            refreshLifetime: config.refreshTokenLifetime)
    }

    struct Issued: Sendable {
        var accessToken: String
        var refreshToken: String
        var refreshTokenID: UUID
        var refreshExpiresAt: Date
    }

    func issue(userID: UUID, sessionID: UUID) async throws -> Issued {
        // JWT times are whole seconds.
        let now = Date(timeIntervalSince1970: clock.now().timeIntervalSince1970.rounded(.down))
        let refreshID = UUID()
        let access = payload(.access, userID: userID, sessionID: sessionID, tokenID: UUID(), now: now)
        let refresh = payload(.refresh, userID: userID, sessionID: sessionID, tokenID: refreshID, now: now)
        return Issued(
            accessToken: try await keys.sign(access), refreshToken: try await keys.sign(refresh),
            refreshTokenID: refreshID, refreshExpiresAt: refresh.exp.value)
    }

    /// The payload of a valid, unexpired token of the given use; any failure is the same 401.
    func verify(_ token: String, as use: TokenPayload.Use) async throws -> TokenPayload {
        let payload: TokenPayload
        do {
            payload = try await keys.verify(token, as: TokenPayload.self)
        } catch {
            throw APIError.unauthorized(.invalidToken, "The token is invalid.")
        }
        guard payload.use == use, payload.userID != nil, payload.sessionID != nil, payload.tokenID != nil else {
            throw APIError.unauthorized(
                .invalidToken, "The token is not a\(use == .access ? "n access" : " refresh") token.")
        }
        guard clock.now() < payload.exp.value else {
            throw APIError.unauthorized(.tokenExpired, "The token has expired.")
        }
        return payload
    }

    private func payload(_ use: TokenPayload.Use, userID: UUID, sessionID: UUID, tokenID: UUID, now: Date)
        -> TokenPayload
    {
        let lifetime = use == .access ? accessLifetime : refreshLifetime
        return TokenPayload(
            sub: .init(value: userID.uuidString), sid: sessionID.uuidString, jti: .init(value: tokenID.uuidString),
            iat: .init(value: now), exp: .init(value: now.addingTimeInterval(lifetime)), use: use)
    }
}
