import Foundation
import Testing
import VaporTesting
@testable import BoxOffice

@Suite("Admin: users")
struct AdminUserTests {
    @Test func userOnAdminRouteIs403AndAnonymousIs401() async throws {
        try await withTestApp { t in
            let user = try await t.customer()
            #expect(try await t.request(.GET, "/users", token: user.accessToken).status == .forbidden)
            #expect(try await t.request(.GET, "/users").status == .unauthorized)
            #expect(try await t.request(.GET, "/users/\(user.id)", token: user.accessToken).status == .forbidden)
        }
    }

    @Test func adminListsWithPagingAndFilters() async throws {
        try await withTestApp { t in
            let admin = try await t.admin()
            for index in 0..<5 { _ = try await t.customer("list\(index)@example.com") }
            let page = try await t.request(.GET, "/users?limit=2&offset=1&role=user", token: admin.accessToken)
            #expect(page.status == .ok)
            let body = try page.content.decode(Page<UserResponse>.self)
            #expect(body.total == 5)
            #expect(body.items.count == 2)
            #expect(body.limit == 2 && body.offset == 1)
            #expect(body.items.allSatisfy { $0.role == .user })

            let byEmail = try await t.request(.GET, "/users?email=LIST3", token: admin.accessToken)
            #expect(try byEmail.content.decode(Page<UserResponse>.self).items.map(\.email) == ["list3@example.com"])

            let admins = try await t.request(.GET, "/users?role=admin", token: admin.accessToken)
            #expect(try admins.content.decode(Page<UserResponse>.self).total == 1)

            let badLimit = try await t.request(.GET, "/users?limit=500", token: admin.accessToken)
            #expect(badLimit.status == .unprocessableEntity)
            let badRole = try await t.request(.GET, "/users?role=root", token: admin.accessToken)
            #expect(badRole.status == .unprocessableEntity)
        }
    }

    @Test func adminGetsOneUserAnd404ForUnknown() async throws {
        try await withTestApp { t in
            let admin = try await t.admin()
            let user = try await t.customer()
            let found = try await t.request(.GET, "/users/\(user.id)", token: admin.accessToken)
            #expect(found.status == .ok, "\(found.body.string)")
            #expect(try found.content.decode(UserResponse.self).email == user.email)
            #expect(try await t.request(.GET, "/users/\(UUID())", token: admin.accessToken).status == .notFound)
            #expect(try await t.request(.GET, "/users/not-a-uuid", token: admin.accessToken).status == .notFound)
        }
    }

    @Test func promotedUserGainsAndDemotedUserLosesAdminAtOnce() async throws {
        try await withTestApp { t in
            let admin = try await t.admin()
            let user = try await t.customer()
            let promote = try await t.request(
                .PATCH, "/users/\(user.id)", json: ["role": "admin"], token: admin.accessToken)
            #expect(promote.status == .ok)
            #expect(try await t.request(.GET, "/users", token: user.accessToken).status == .ok)
            _ = try await t.request(.PATCH, "/users/\(user.id)", json: ["role": "user"], token: admin.accessToken)
            #expect(try await t.request(.GET, "/users", token: user.accessToken).status == .forbidden)
        }
    }

    @Test func disabledUserIsRefusedEverywhereAtOnce() async throws {
        try await withTestApp { t in
            let admin = try await t.admin()
            let user = try await t.customer()
            let disable = try await t.request(
                .PATCH, "/users/\(user.id)", json: ["disabled": true], token: admin.accessToken)
            #expect(disable.status == .ok)
            #expect(try disable.content.decode(UserResponse.self).isDisabled)

            #expect(try await t.request(.GET, "/users/me", token: user.accessToken).status == .unauthorized)
            let refresh = try await t.request(.POST, "/users/refresh", json: ["refresh_token": user.refreshToken])
            #expect(refresh.status == .unauthorized)
            let login = try await t.request(
                .POST, "/users/login", json: ["email": user.email, "password": user.password])
            #expect(login.status == .forbidden)
            #expect(login.problem?.code == "account_disabled")

            _ = try await t.request(.PATCH, "/users/\(user.id)", json: ["disabled": false], token: admin.accessToken)
            _ = try await t.login(user.email, user.password)
        }
    }

    @Test func adminCannotLockThemselvesOut() async throws {
        try await withTestApp { t in
            let admin = try await t.admin()
            let demote = try await t.request(
                .PATCH, "/users/\(admin.id)", json: ["role": "user"], token: admin.accessToken)
            #expect(demote.status == .conflict)
            let disable = try await t.request(
                .PATCH, "/users/\(admin.id)", json: ["disabled": true], token: admin.accessToken)
            #expect(disable.status == .conflict)
            let badRole = try await t.request(
                .PATCH, "/users/\(admin.id)", json: ["role": "owner"], token: admin.accessToken)
            #expect(badRole.status == .unprocessableEntity)
        }
    }
}
