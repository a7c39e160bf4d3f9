import Foundation
import JWTKit
import Testing
import VaporTesting
@testable import BoxOffice

@Suite("Tokens: refresh rotation, logout, expiry, forgery")
struct TokenTests {
    @Test func refreshRotatesAndTheOldTokenDies() async throws {
        try await withTestApp { t in
            let account = try await t.customer()
            let rotated = try await t.request(.POST, "/users/refresh", json: ["refresh_token": account.refreshToken])
            #expect(rotated.status == .ok)
            let next = try rotated.content.decode(TokenResponse.self)
            #expect(next.refreshToken != account.refreshToken)
            #expect(try await t.request(.GET, "/users/me", token: next.accessToken).status == .ok)
            let again = try await t.request(.POST, "/users/refresh", json: ["refresh_token": next.refreshToken])
            #expect(again.status == .ok)
        }
    }

    @Test func refreshReuseRevokesTheWholeFamily() async throws {
        try await withTestApp { t in
            let account = try await t.customer()
            let first = try await t.request(.POST, "/users/refresh", json: ["refresh_token": account.refreshToken])
            let newest = try first.content.decode(TokenResponse.self)

            let reuse = try await t.request(.POST, "/users/refresh", json: ["refresh_token": account.refreshToken])
            #expect(reuse.status == .unauthorized)
            #expect(reuse.problem?.code == "refresh_token_reused")

            // The legitimate newest tokens of that family are dead too.
            let newestRefresh = try await t.request(
                .POST, "/users/refresh", json: ["refresh_token": newest.refreshToken])
            #expect(newestRefresh.status == .unauthorized)
            #expect(try await t.request(.GET, "/users/me", token: newest.accessToken).status == .unauthorized)
        }
    }

    @Test func concurrentRefreshesWithOneTokenRotateOnlyOnce() async throws {
        try await withTestApp { t in
            let account = try await t.customer()
            let statuses = try await withThrowingTaskGroup(of: HTTPStatus.self) { group in
                for _ in 0..<8 {
                    group.addTask {
                        try await t.request(.POST, "/users/refresh", json: ["refresh_token": account.refreshToken])
                            .status
                    }
                }
                return try await group.reduce(into: [HTTPStatus]()) { $0.append($1) }
            }
            #expect(statuses.filter { $0 == .ok }.count <= 1)
            #expect(statuses.filter { $0 == .unauthorized }.count >= 7)
        }
    }

    @Test func logoutEndsAccessAndRefresh() async throws {
        try await withTestApp { t in
            let account = try await t.customer()
            let logout = try await t.request(.POST, "/users/logout", token: account.accessToken)
            #expect(logout.status == .noContent)
            #expect(try await t.request(.GET, "/users/me", token: account.accessToken).status == .unauthorized)
            let refresh = try await t.request(.POST, "/users/refresh", json: ["refresh_token": account.refreshToken])
            #expect(refresh.status == .unauthorized)
        }
    }

    @Test func expiredAccessTokenIs401WhenTheClockMoves() async throws {
        try await withTestApp { t in
            let account = try await t.customer()
            t.clock.advance(by: 3599)
            #expect(try await t.request(.GET, "/users/me", token: account.accessToken).status == .ok)
            t.clock.advance(by: 2)
            let expired = try await t.request(.GET, "/users/me", token: account.accessToken)
            #expect(expired.status == .unauthorized)
            #expect(expired.problem?.code == "token_expired")
            #expect(expired.headers.first(name: .wwwAuthenticate)?.hasPrefix("Bearer") == true)
            // The refresh token (7 days) still works and brings a fresh access token.
            let refreshed = try await t.request(.POST, "/users/refresh", json: ["refresh_token": account.refreshToken])
            #expect(refreshed.status == .ok)
        }
    }

    @Test func expiredRefreshTokenIs401() async throws {
        try await withTestApp { t in
            let account = try await t.customer()
            t.clock.advance(by: 7 * 24 * 3600 + 1)
            let refresh = try await t.request(.POST, "/users/refresh", json: ["refresh_token": account.refreshToken])
            #expect(refresh.status == .unauthorized)
            #expect(refresh.problem?.code == "token_expired")
        }
    }

    @Test func refreshTokenIsNotAnAccessTokenAndViceVersa() async throws {
        try await withTestApp { t in
            let account = try await t.customer()
            let asAccess = try await t.request(.GET, "/users/me", token: account.refreshToken)
            #expect(asAccess.status == .unauthorized)
            let asRefresh = try await t.request(.POST, "/users/refresh", json: ["refresh_token": account.accessToken])
            #expect(asRefresh.status == .unauthorized)
        }
    }

    @Test func tokenSignedWithAnotherKeyIs401() async throws {
        try await withTestApp { t in
            let account = try await t.customer()
            let payload = try await t.app.boxOffice.accounts.tokens.verify(account.accessToken, as: .access)
            let foreign = JWTKeyCollection()
            await foreign.add(hmac: HMACKey(from: "another-secret-of-at-least-32-bytes!!"), digestAlgorithm: .sha256)
            let forged = try await foreign.sign(payload)
            #expect(try await t.request(.GET, "/users/me", token: forged).status == .unauthorized)
        }
    }

    @Test func unsignedAlgNoneTokenIs401() async throws {
        try await withTestApp { t in
            let account = try await t.customer()
            let parts = account.accessToken.split(separator: ".")
            let header = Data(#"{"alg":"none","typ":"JWT"}"#.utf8).base64URLEncodedString()
            for forged in ["\(header).\(parts[1]).", "\(header).\(parts[1])", "\(header).\(parts[1]).\(parts[2])"] {
                #expect(try await t.request(.GET, "/users/me", token: forged).status == .unauthorized)
            }
            #expect(try await t.request(.GET, "/users/me", token: "garbage").status == .unauthorized)
        }
    }

    @Test func anonymousCallIs401WithWWWAuthenticate() async throws {
        try await withTestApp { t in
            let response = try await t.request(.GET, "/users/me")
            #expect(response.status == .unauthorized)
            #expect(response.headers.first(name: .wwwAuthenticate)?.hasPrefix("Bearer") == true)
            #expect(response.problem?.code == "authentication_required")
        }
    }
}

extension Data {
    func base64URLEncodedString() -> String {
        base64EncodedString().replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }
}
