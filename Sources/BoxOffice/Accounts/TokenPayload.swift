import JWTKit
import Foundation

/// The claims of both kinds of token. `use` tells them apart, so a refresh token is never accepted
/// where an access token is expected, nor the other way round.
struct TokenPayload: JWTPayload, Equatable {
    enum Use: String, Codable, Sendable { case access, refresh }

    var sub: SubjectClaim
    /// The session (refresh-token family) this token belongs to.
    var sid: String
    var jti: IDClaim
    var iat: IssuedAtClaim
    var exp: ExpirationClaim
    var use: Use

    /// Time is checked by `TokenService` against the injected clock, not here.
    func verify(using algorithm: some JWTAlgorithm) async throws {}

    var userID: UUID? { UUID(uuidString: sub.value) }
    var sessionID: UUID? { UUID(uuidString: sid) }
    var tokenID: UUID? { UUID(uuidString: jti.value) }
}
