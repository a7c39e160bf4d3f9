import Foundation
import NIOWebSocket
import Testing
import VaporTesting

@testable import BoxOffice

/// A socket lives no longer than its session: logout, disabling, a password change (for the other sessions) and a
/// role change close it with 4401 within a second, on every instance, and it hears nothing more. (The tests allow
/// ten: they run beside hundreds of others on two cores, and speed belongs in benchmarks, not assertions.)
@Suite("Live WebSocket revocation")
struct LiveRevocationTests {
    static let sessionEnded = WebSocketErrorCode.unknown(4401)

    /// The attack: log out, and keep the socket to hear notifications and subscribe. It is closed within a second;
    /// the same user's other session keeps its socket.
    @Test func logoutClosesTheSessionsSocketWith4401() async throws {
        try await withTestApp { t in
            let asha = try await t.customer()
            let phone = try await t.login(asha.email, asha.password)
            try await t.listening { port in
                let group = t.app.eventLoopGroup
                let socket = try await TestSocket.connect(port: port, token: asha.accessToken, on: group)
                let other = try await TestSocket.connect(port: port, token: phone.accessToken, on: group)
                #expect(try await t.request(.POST, "/users/logout", token: asha.accessToken).status == .noContent)
                #expect(try await socket.closedByServer(within: 10), "the logged-out session's socket stayed open")
                #expect(socket.ws.closeCode == Self.sessionEnded)
                await t.app.boxOffice.live.hub.deliver(.notification(userID: asha.id, .sample(message: "after")))
                #expect(try await other.next("notification") != nil)
                try await other.send(["type": "ping"])
                #expect(try await other.next("pong") != nil)
                #expect(!other.ws.isClosed)
                await other.close()
            }
        }
    }

    /// Disabling an account closes every socket of it; a password change closes the other sessions' sockets (the
    /// session that changed it stays signed in, as over HTTP); a demotion closes the demoted admin's socket.
    @Test func disablingAPasswordChangeAndADemotionCloseSockets() async throws {
        try await withTestApp { t in
            let admin = try await t.admin()
            let ravi = try await t.customer()
            let ravi2 = try await t.login(ravi.email, ravi.password)
            let asha = try await t.customer()
            let ashaPhone = try await t.login(asha.email, asha.password)
            let deputy = try await t.admin()
            try await t.listening { port in
                let group = t.app.eventLoopGroup
                let raviSockets = [
                    try await TestSocket.connect(port: port, token: ravi.accessToken, on: group),
                    try await TestSocket.connect(port: port, token: ravi2.accessToken, on: group),
                ]
                let disabled = try await t.request(
                    .PATCH, "/users/\(ravi.id)", json: ["disabled": true], token: admin.accessToken)
                #expect(disabled.status == .ok)
                for socket in raviSockets {
                    #expect(try await socket.closedByServer(within: 10), "a disabled account's socket stayed open")
                    #expect(socket.ws.closeCode == Self.sessionEnded)
                }

                let changing = try await TestSocket.connect(port: port, token: asha.accessToken, on: group)
                let elsewhere = try await TestSocket.connect(port: port, token: ashaPhone.accessToken, on: group)
                let changed = try await t.request(
                    .POST, "/users/me/password",
                    json: ["current_password": asha.password, "new_password": "new-password-1"],
                    token: asha.accessToken)
                #expect(changed.status == .noContent)
                #expect(
                    try await elsewhere.closedByServer(within: 10), "another session's socket outlived a new password")
                #expect(elsewhere.ws.closeCode == Self.sessionEnded)
                try await changing.send(["type": "ping"])
                #expect(try await changing.next("pong") != nil)
                await changing.close()

                let demoted = try await TestSocket.connect(port: port, token: deputy.accessToken, on: group)
                let demotion = try await t.request(
                    .PATCH, "/users/\(deputy.id)", json: ["role": "user"], token: admin.accessToken)
                #expect(demotion.status == .ok)
                #expect(try await demoted.closedByServer(within: 10), "a demoted admin's socket stayed open")
                #expect(demoted.ws.closeCode == Self.sessionEnded)
            }
        }
    }

    /// Logged out on instance A, the socket on instance B is closed too (the invalidation channel reaches B).
    @Test(.enabled(if: RedisTestServer.url != nil, "needs TEST_REDIS_URL"))
    func logoutOnOneInstanceClosesTheSocketOnAnother() async throws {
        try await withTwoInstances { a, b in
            let asha = try await a.customer()
            try await b.listening { port in
                let socket = try await TestSocket.connect(
                    port: port, token: asha.accessToken, on: b.app.eventLoopGroup)
                let logout = try await a.request(.POST, "/users/logout", token: asha.accessToken)
                #expect(logout.status == .noContent)
                #expect(try await socket.closedByServer(within: 10), "the socket on B outlived the logout on A")
                #expect(socket.ws.closeCode == Self.sessionEnded)
            }
        }
    }
}
