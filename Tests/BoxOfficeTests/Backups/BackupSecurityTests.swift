import Fluent
import Foundation
import Testing
import VaporTesting
import ZIPFoundation

@testable import BoxOffice

/// Issue 24, items 6–8: a restore signs everyone out, keeps the audit trail, and reads only signed, bounded archives.
@Suite("Backup and restore security")
struct BackupSecurityTests {
    // MARK: - Sessions (item 6)

    /// Backup → logout → restore used to bring the ended session back: its access and refresh tokens worked again.
    /// So did a session of an account disabled, or demoted, after the backup.
    @Test func aRestoreSignsEveryoneOutAndNoOldTokenWorksAgain() async throws {
        try await withBackupApp { t, admin in
            let leaver = try await t.customer()
            let disabled = try await t.customer()
            let demoted = try await t.customer()
            #expect(try await t.setAccess(demoted.id, ["role": "admin"], by: admin).status == .ok)
            // Used before the backup, so each session is in the session cache too.
            for account in [leaver, disabled, demoted] {
                #expect(try await t.request(.GET, "/users/me", token: account.accessToken).status == .ok)
            }
            let backup = try await t.backup(admin)

            #expect(try await t.request(.POST, "/users/logout", token: leaver.accessToken).status == .noContent)
            #expect(try await t.setAccess(disabled.id, ["disabled": true], by: admin).status == .ok)
            #expect(try await t.setAccess(demoted.id, ["role": "user"], by: admin).status == .ok)
            let late = try await t.customer()  // a session the backup never saw

            let restored = try await t.restore(backup.id, admin)
            #expect(restored.status == .created, "\(restored.body.string)")

            for account in [leaver, disabled, demoted, late, admin] {
                let me = try await t.request(.GET, "/users/me", token: account.accessToken)
                #expect(me.status == .unauthorized, "\(account.email)'s access token works after the restore")
                #expect(me.headers.first(name: .wwwAuthenticate) != nil)
                let refreshed = try await t.request(
                    .POST, "/users/refresh", json: ["refresh_token": account.refreshToken])
                #expect(refreshed.status == .unauthorized, "\(account.email)'s refresh token works after the restore")
            }
            // The demoted account was an admin in the backup: its old token must not reach an admin route either.
            #expect(try await t.request(.GET, "/backup", token: demoted.accessToken).status == .unauthorized)
            let sessions = try await UserSession.query(on: t.app.db).all()
            #expect(!sessions.isEmpty)
            #expect(sessions.allSatisfy { $0.revokedAt != nil && $0.revokedReason != nil })

            // Everyone signs in again, the restoring admin too.
            let again = try await t.login(leaver.email, leaver.password)
            #expect(try await t.request(.GET, "/users/me", token: again.accessToken).status == .ok)
            let adminAgain = try await t.login(admin.email, admin.password)
            #expect(try await t.request(.GET, "/restore", token: adminAgain.accessToken).status == .ok)
        }
    }

    // MARK: - Audit trail (item 7)

    /// Backup → promote a user → restore used to erase the promotion's rows and the `backup.create` row.
    @Test func aRestoreKeepsTheAuditTrailAndRecordsItselfOnce() async throws {
        try await withBackupApp { t, admin in
            let customer = try await t.customer()
            let backup = try await t.backup(admin)
            #expect(try await t.setAccess(customer.id, ["role": "admin"], by: admin).status == .ok)
            let before = try await AuditLog.query(on: t.app.db).all()
            #expect(before.contains { $0.action == "backup.create" && $0.entityID == backup.id.uuidString })
            #expect(before.contains { $0.action == "user.role_change" && $0.entityID == customer.id.uuidString })

            let restored = try await t.restore(backup.id, admin)
            #expect(restored.status == .created, "\(restored.body.string)")
            let record = try restored.content.decode(RestoreResponse.self)

            // The data is the backup's (the promotion is undone), the trail is not.
            let role = try await User.find(customer.id, on: t.app.db)?.role
            #expect(role == .user)
            let after = try await AuditLog.query(on: t.app.db).all()
            for row in before {
                let kept = after.first { $0.id == row.id }
                #expect(kept?.action == row.action && kept?.summary == row.summary, "\(row.action) was lost")
            }
            let restores = after.filter { $0.action == "restore.create" }
            #expect(restores.count == 1)
            let restore = try #require(restores.first)
            #expect(restore.entityID == record.id.uuidString)
            #expect(restore.$actor.id == admin.id)
            #expect(restore.actorEmail == admin.email)
            #expect(restore.summary?.contains(backup.id.uuidString) == true)
            #expect(restore.summary?.contains(backup.fileName) == true)
            #expect(restore.requestID != nil)
            #expect(after.count == before.count + 1)
        }
    }

    /// The trail only grows: rows the live table has are kept as they are, rows only the backup has come back.
    @Test func aRestoreAddsTheBackupsMissingAuditRowsAndOverwritesNone() async throws {
        try await withBackupApp { t, admin in
            let customer = try await t.customer()
            #expect(try await t.setAccess(customer.id, ["role": "admin"], by: admin).status == .ok)
            let backup = try await t.backup(admin)
            let rows = try await AuditLog.query(on: t.app.db).sort(\.$createdAt).all()
            let promotion = try #require(rows.first { $0.action == "user.role_change" })
            // Lost from the live table (as on a new database), and one row unlike the backup's copy of it.
            try await promotion.delete(on: t.app.db)
            let changed = try #require(rows.first { $0.action != "user.role_change" })
            changed.summary = "{\"kept\":true}"
            try await changed.save(on: t.app.db)

            #expect(try await t.restore(backup.id, admin).status == .created)
            let after = try await AuditLog.query(on: t.app.db).all()
            #expect(after.contains { $0.id == promotion.id && $0.action == "user.role_change" })
            #expect(after.first { $0.id == changed.id }?.summary == "{\"kept\":true}")
            #expect(Set(after.compactMap(\.id)).isSuperset(of: rows.compactMap(\.id)))
        }
    }

    /// A backup holds every password hash and phone number: fetching one leaves a row, before a byte is sent.
    @Test func downloadingABackupIsAudited() async throws {
        try await withBackupApp { t, admin in
            let backup = try await t.backup(admin)
            let download = try await t.request(.GET, "/backup/\(backup.id)/download", token: admin.accessToken)
            #expect(download.status == .ok)
            let rows = try await AuditLog.query(on: t.app.db).filter(\.$action == "backup.download").all()
            #expect(rows.count == 1)
            #expect(rows.first?.entityID == backup.id.uuidString)
            #expect(rows.first?.$actor.id == admin.id)
            #expect(rows.first?.summary?.contains(backup.sha256) == true)
            // A download that does not happen leaves none.
            let customer = try await t.customer()
            #expect(
                try await t.request(.GET, "/backup/\(backup.id)/download", token: customer.accessToken).status
                    == .forbidden)
            #expect(
                try await t.request(.GET, "/backup/\(UUID())/download", token: admin.accessToken).status == .notFound)
            #expect(try await AuditLog.query(on: t.app.db).filter(\.$action == "backup.download").count() == 1)
        }
    }

    // MARK: - Signed, bounded archives (item 8)

    @Test func anUnsignedArchiveIsRefusedAndChangesNothing() async throws {
        try await withBackupApp { t, admin in
            let backup = try await t.backup(admin)
            let archive = try Archive(url: t.backupFile(backup), accessMode: .update)
            try archive.remove(try #require(archive[BackupArchive.signatureFile]))
            try await t.expectRefused(backup, admin, status: .unprocessableEntity, code: "backup_unsigned")
        }
    }

    /// Whoever can write the GitHub repository edits `users.json` to make themselves admin and recomputes the
    /// manifest's hashes: the signature no longer matches.
    @Test func aTamperedUsersTableWithRecomputedHashesFromGitHubIsRefused() async throws {
        try await GitHubStandIn.with { github in
            try await withBackupApp(configure: {
                $0.githubBackup = .init(repository: "cinema/backups", token: github.token, apiURL: github.url)
            }) { t, admin in
                let customer = try await t.customer()
                let backup = try await t.backup(admin)
                let file = t.backupFile(backup)
                try rewriteTable("users", in: file) { users in
                    users.map { user in
                        var user = user
                        if user["email"]?.string == customer.email { user["role"] = .string("admin") }
                        return user
                    }
                }
                github.replace("cinema/backups/\(backup.location)", with: try Data(contentsOf: file))
                try FileManager.default.removeItem(at: file)  // the restore reads GitHub's copy

                try await t.expectRefused(backup, admin, status: .unprocessableEntity, code: "backup_signature_invalid")
                #expect(try await User.find(customer.id, on: t.app.db)?.role == .user)
            }
        }
    }

    @Test func anArchiveSignedWithAnotherKeyIsRefused() async throws {
        try await withBackupApp { t, admin in
            let backup = try await t.backup(admin)
            try resign(t.backupFile(backup), with: BackupSigner(key: String(repeating: "k", count: 40)))
            let response = try await t.expectRefused(
                backup, admin, status: .unprocessableEntity, code: "backup_signature_invalid")
            #expect(response.problem?.detail.contains("another key") == true)
        }
    }

    /// An unsigned manifest that unpacks to 64 MiB while its headers say 1 KiB, from the GitHub copy: refused at the
    /// manifest's own cap, before its signature is even looked at.
    @Test func aZipBombManifestFromGitHubIsRefusedUnread() async throws {
        try await GitHubStandIn.with { github in
            try await withBackupApp(configure: {
                $0.githubBackup = .init(repository: "cinema/backups", token: github.token, apiURL: github.url)
            }) { t, admin in
                let backup = try await t.backup(admin)
                let file = t.backupFile(backup)
                try replaceWithBomb(BackupArchive.manifestFile, unpacking: 64 << 20, declaring: 1024, in: file)
                #expect(try Data(contentsOf: file).count < 1 << 20)
                github.replace("cinema/backups/\(backup.location)", with: try Data(contentsOf: file))
                try FileManager.default.removeItem(at: file)

                let response = try await t.expectRefused(
                    backup, admin, status: .unprocessableEntity, code: "backup_too_large")
                #expect(response.problem?.detail.contains(BackupArchive.manifestFile) == true)
            }
        }
    }

    /// `boxoffice restore --file`: a signed archive (so past the signature check) whose users table unpacks to 1 GiB
    /// while its headers claim 1 KiB, with the default caps. It is refused while inflating, never held in memory.
    @Test func aTableThatUnpacksToAGigabyteIsRefusedByTheRestoreCommand() async throws {
        try await withBackupApp { t, admin in
            #expect(t.config.backupMaxEntryBytes == 256 << 20)
            let backup = try await t.backup(admin)
            let file = FileManager.default.temporaryDirectory.appendingPathComponent("bx-bomb-\(UUID().uuidString).zip")
            defer { try? FileManager.default.removeItem(at: file) }
            try FileManager.default.copyItem(at: t.backupFile(backup), to: file)
            try replaceWithBomb("tables/users.json", unpacking: 1 << 30, declaring: 1024, in: file)
            try resign(file, with: t.app.boxOffice.backups.signer)
            #expect(try Data(contentsOf: file).count < 2 << 20)
            let before = try await t.tables()

            await #expect(throws: ExitCode.self) {
                try await DatabaseMoveTests.run(RestoreCommand(), ["--file", file.path], on: t.app)
            }
            do {
                _ = try await t.app.boxOffice.backups.restore(file: file, by: nil, on: t.app.db)
                Issue.record("the bomb was restored")
            } catch let error as APIError {
                #expect(error.code == "backup_too_large")
                #expect(error.detail.contains("tables/users.json"))
            }
            #expect(try await t.tables() == before)
        }
    }

    /// Headers that tell the truth are enough to refuse: nothing is inflated. Both caps count.
    @Test func declaredSizesOverEitherCapAreRefusedBeforeInflating() async throws {
        try await withBackupApp { t, admin in
            let backup = try await t.backup(admin)
            let file = t.backupFile(backup)
            let signer = t.app.boxOffice.backups.signer
            try replaceWithBomb("tables/movies.json", unpacking: 3 << 20, declaring: nil, in: file)
            try resign(file, with: signer)
            let entryCap = BackupLimits(maxEntryBytes: 2 << 20, maxTotalBytes: 64 << 20)
            #expect(throws: APIError.self) { try BackupArchive.read(file, signer: signer, limits: entryCap) }
            do {
                _ = try BackupArchive.read(file, signer: signer, limits: entryCap)
            } catch let error as APIError {
                #expect(error.code == "backup_too_large")
                #expect(error.detail.contains("declares"))
            }
            let totalCap = BackupLimits(maxEntryBytes: 4 << 20, maxTotalBytes: 3 << 20)
            do {
                _ = try BackupArchive.read(file, signer: signer, limits: totalCap)
                Issue.record("an archive over the total cap was read")
            } catch let error as APIError {
                #expect(error.code == "backup_too_large")
                #expect(error.detail.contains("BACKUP_MAX_TOTAL_BYTES"))
            }
        }
    }

    @Test func productionRefusesToStartWithoutItsOwnBackupSigningKey() throws {
        func problems(_ env: [String: String], in environment: Environment = .production) -> [String] {
            configProblems(env, environment)
        }
        let base = [
            "JWT_SECRET": String(repeating: "j", count: 40),
            "PAYMENT_WEBHOOK_SECRET": String(repeating: "w", count: 40),
        ]
        #expect(problems(base).contains { $0.contains("BACKUP_SIGNING_KEY") })
        // The default is in the source: only development and tests may sign with it.
        #expect(problems(base, in: .custom(name: "staging")).contains { $0.contains("BACKUP_SIGNING_KEY") })
        #expect(!problems(base, in: .testing).contains { $0.contains("BACKUP_SIGNING_KEY") })
        var development = base
        development["BACKUP_SIGNING_KEY"] = AppConfig.developmentBackupSigningKey
        #expect(problems(development).contains { $0.contains("BACKUP_SIGNING_KEY") })
        var short = base
        short["BACKUP_SIGNING_KEY"] = "too-short"
        #expect(problems(short).contains { $0.contains("BACKUP_SIGNING_KEY") })
        var own = base
        own["BACKUP_SIGNING_KEY"] = String(repeating: "b", count: 48)
        own["BACKUP_MAX_ENTRY_BYTES"] = "2097152"
        #expect(!problems(own).contains { $0.contains("BACKUP_") })
        let config = try AppConfig.load(from: own, environment: .development)
        #expect(config.backupSigningKey == own["BACKUP_SIGNING_KEY"])
        #expect(config.backupMaxEntryBytes == 2 << 20)
        #expect(config.backupMaxTotalBytes == 1 << 30)
        // Development signs with a fixed key of its own, so its backups restore after a restart.
        #expect(
            try AppConfig.load(from: [:], environment: .development).backupSigningKey
                == AppConfig.developmentBackupSigningKey)
    }
}

extension TestApp {
    func setAccess(_ user: UUID, _ body: [String: AnyCodableValue], by admin: Account) async throws
        -> TestingHTTPResponse
    {
        try await request(.PATCH, "/users/\(user)", json: body, token: admin.accessToken)
    }

    /// Restores `backup` and expects it refused with `status` and `code`, and every table as it was.
    @discardableResult
    func expectRefused(
        _ backup: BackupResponse, _ admin: Account, status: HTTPStatus, code: String,
        sourceLocation: SourceLocation = #_sourceLocation
    ) async throws -> TestingHTTPResponse {
        let before = try await tables()
        let response = try await restore(backup.id, admin)
        #expect(response.status == status, "\(response.body.string)", sourceLocation: sourceLocation)
        #expect(response.problem?.code == code, "\(response.body.string)", sourceLocation: sourceLocation)
        #expect(try await tables() == before, "a refused restore changed data", sourceLocation: sourceLocation)
        #expect(
            try await request(.GET, "/users/me", token: admin.accessToken).status == .ok,
            "a refused restore ended sessions", sourceLocation: sourceLocation)
        return response
    }
}

/// A JSON value for small test bodies that mix strings and booleans.
enum AnyCodableValue: Encodable, Sendable, ExpressibleByStringLiteral, ExpressibleByBooleanLiteral {
    case string(String)
    case bool(Bool)

    init(stringLiteral value: String) { self = .string(value) }
    init(booleanLiteral value: Bool) { self = .bool(value) }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .string(let value): try container.encode(value)
        case .bool(let value): try container.encode(value)
        }
    }
}
