import Foundation
import Testing
import VaporTesting
@testable import BoxOffice

@Suite("Accounts: signup, login, me")
struct AccountTests {
    @Test func signupLoginMeRoundTrip() async throws {
        try await withTestApp { t in
            let signup = try await t.request(
                .POST, "/users/signup",
                json: TestApp.signupBody("Asha.Rao@Example.com", phone: "+919876543210"))
            #expect(signup.status == .created)
            let created = try signup.content.decode(UserResponse.self)
            #expect(created.email == "asha.rao@example.com")
            #expect(created.role == .user)
            #expect(!signup.body.string.contains("password"))

            let login = try await t.request(
                .POST, "/users/login",
                json: ["email": "ASHA.RAO@example.com", "password": "correct-horse"])
            #expect(login.status == .ok)
            let tokens = try login.content.decode(TokenResponse.self)
            #expect(tokens.tokenType == "bearer")
            #expect(tokens.expiresIn == 3600)
            let raw = login.body.string
            #expect(
                raw.contains("\"access_token\"") && raw.contains("\"refresh_token\"")
                    && raw.contains("\"expires_in\":3600"))

            let me = try await t.request(.GET, "/users/me", token: tokens.accessToken)
            #expect(me.status == .ok)
            #expect(try me.content.decode(UserResponse.self).id == created.id)
        }
    }

    @Test func roleInSignupBodyIsIgnored() async throws {
        try await withTestApp { t in
            var body = TestApp.signupBody("sneaky@example.com")
            body["role"] = "admin"
            body["is_disabled"] = "false"
            let signup = try await t.request(.POST, "/users/signup", json: body)
            #expect(signup.status == .created)
            #expect(try signup.content.decode(UserResponse.self).role == .user)
            let account = try await t.login("sneaky@example.com", "correct-horse")
            let admin = try await t.request(.GET, "/users", token: account.accessToken)
            #expect(admin.status == .forbidden)
        }
    }

    @Test func duplicateEmailOrPhoneIsConflict() async throws {
        try await withTestApp { t in
            let first = try await t.request(
                .POST, "/users/signup", json: TestApp.signupBody("dup@example.com", phone: "+911234567890"))
            #expect(first.status == .created)
            let sameEmail = try await t.request(.POST, "/users/signup", json: TestApp.signupBody("DUP@example.com"))
            #expect(sameEmail.status == .conflict)
            #expect(sameEmail.problem?.code == "account_exists")
            let samePhone = try await t.request(
                .POST, "/users/signup", json: TestApp.signupBody("other@example.com", phone: "+911234567890"))
            #expect(samePhone.status == .conflict)
        }
    }

    @Test func shortPasswordAndBadFieldsAre422WithFieldErrors() async throws {
        try await withTestApp { t in
            let response = try await t.request(
                .POST, "/users/signup",
                json: ["name": " ", "email": "not-an-email", "phone": "12", "password": "short"])
            #expect(response.status == .unprocessableEntity)
            let problem = try #require(response.problem)
            #expect(problem.code == "validation_failed")
            #expect(Set(problem.errors?.map(\.field) ?? []) == ["name", "email", "phone", "password"])
            #expect(response.headers.contentType?.description.hasPrefix("application/problem+json") == true)
            let count = try await User.query(on: t.app.db).count()
            #expect(count == 0)
        }
    }

    @Test func missingFieldIs422NamingTheField() async throws {
        try await withTestApp { t in
            let response = try await t.request(.POST, "/users/signup", json: ["name": "X", "email": "x@example.com"])
            #expect(response.status == .unprocessableEntity)
            #expect(response.problem?.errors?.first?.field == "phone")
        }
    }

    @Test func wrongPasswordAndUnknownEmailGetTheSame401() async throws {
        try await withTestApp { t in
            _ = try await t.customer("known@example.com")
            let wrong = try await t.request(
                .POST, "/users/login", json: ["email": "known@example.com", "password": "wrong-password"])
            let unknown = try await t.request(
                .POST, "/users/login", json: ["email": "nobody@example.com", "password": "wrong-password"])
            #expect(wrong.status == .unauthorized)
            #expect(unknown.status == .unauthorized)
            #expect(wrong.problem?.code == unknown.problem?.code)
            #expect(wrong.problem?.detail == unknown.problem?.detail)
        }
    }

    @Test func updateMeChangesProfileAndKeepsUniqueness() async throws {
        try await withTestApp { t in
            let other = try await t.customer()
            let me = try await t.customer()
            let renamed = try await t.request(.PATCH, "/users/me", json: ["name": "New Name"], token: me.accessToken)
            #expect(renamed.status == .ok)
            #expect(try renamed.content.decode(UserResponse.self).name == "New Name")
            let taken = try await t.request(.PATCH, "/users/me", json: ["email": other.email], token: me.accessToken)
            #expect(taken.status == .conflict)
        }
    }

    @Test func changingPasswordEndsOtherSessionsButNotThisOne() async throws {
        try await withTestApp { t in
            let first = try await t.customer("pw@example.com")
            let second = try await t.login("pw@example.com", "correct-horse")
            let wrong = try await t.request(
                .POST, "/users/me/password",
                json: ["current_password": "nope-nope", "new_password": "new-password-1"], token: first.accessToken)
            #expect(wrong.status == .forbidden)
            let changed = try await t.request(
                .POST, "/users/me/password",
                json: ["current_password": "correct-horse", "new_password": "new-password-1"], token: first.accessToken)
            #expect(changed.status == .noContent)

            #expect(try await t.request(.GET, "/users/me", token: first.accessToken).status == .ok)
            let otherSession = try await t.request(.GET, "/users/me", token: second.accessToken)
            #expect(otherSession.status == .unauthorized)
            let otherRefresh = try await t.request(
                .POST, "/users/refresh", json: ["refresh_token": second.refreshToken])
            #expect(otherRefresh.status == .unauthorized)

            let oldPassword = try await t.request(
                .POST, "/users/login", json: ["email": "pw@example.com", "password": "correct-horse"])
            #expect(oldPassword.status == .unauthorized)
            _ = try await t.login("pw@example.com", "new-password-1")
        }
    }
}
