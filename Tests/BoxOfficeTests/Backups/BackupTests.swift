import SQLKit
import Foundation
import Testing
import VaporTesting
import ZIPFoundation

@testable import BoxOffice

/// A test app whose backups go to a folder of its own, with a cinema, a paid booking and its notification in it.
func withBackupApp(
    configure adjust: @escaping (inout AppConfig) -> Void = { _ in },
    _ test: (TestApp, TestApp.Account) async throws -> Void
) async throws {
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("bx-backups-\(UUID().uuidString)")
    defer { try? FileManager.default.removeItem(at: directory) }
    let events = InMemoryEventBus()
    try await withTestApp(
        configure: {
            $0.backupDirectory = directory.path
            adjust(&$0)
        }, services: { $0.events = events }
    ) { t in
        let payments = try await PaymentFixture.make(t, events: events)
        let customer = try await t.customer()
        _ = try await payments.bookAndPay(["A1", "A2"], customer)
        try await t.app.boxOffice.outbox.deliverDue(on: t.app.db)
        let admin = try await t.admin()
        try await test(t, admin)
    }
}

extension TestApp {
    /// Every table's rows, as a backup reads them.
    func tables() async throws -> [String: [TableData.Row]] {
        try await TableData.read(app.db).rows
    }

    func backup(_ admin: Account, note: String? = nil) async throws -> BackupResponse {
        let response = try await request(.POST, "/backup", json: ["note": note], token: admin.accessToken)
        #expect(response.status == .created, "\(response.body.string)")
        return try response.content.decode(BackupResponse.self)
    }

    func restore(_ backup: UUID, _ admin: Account) async throws -> TestingHTTPResponse {
        try await request(.POST, "/restore", json: ["backup_id": backup.uuidString], token: admin.accessToken)
    }

    func backupFile(_ backup: BackupResponse) -> URL {
        URL(fileURLWithPath: config.backupDirectory).appendingPathComponent(backup.fileName)
    }
}

@Suite("Backup and restore")
struct BackupTests {
    /// The "done means": an admin backs up, deletes data by mistake, restores, and every table is as it was.
    @Test func aRestoreBringsBackEveryTableExactly() async throws {
        try await withBackupApp { t, admin in
            let before = try await t.tables()
            #expect((before["bookings"] ?? []).count == 1)
            #expect((before["notifications"] ?? []).count >= 1)
            let backup = try await t.backup(admin, note: "before the festival")
            #expect(backup.status == "completed")
            #expect(backup.destination == "local")
            #expect(backup.rowCounts["movies"] == before["movies"]?.count)
            #expect(backup.sha256 == (try BackupArchive.sha256Hex(of: t.backupFile(backup))))

            // By mistake: the food menu and every booking's seats are gone, and a movie is renamed.
            let sql = try t.app.db.sql()
            try await sql.raw("DELETE FROM booking_foods").run()
            try await sql.raw("DELETE FROM food_items").run()
            try await sql.raw("UPDATE movies SET title = 'Oops'").run()
            #expect(try await t.tables()["food_items"]?.isEmpty == true)

            // A hold made after the backup is about seats the restore may give to others: it is dropped.
            let customer = try await t.customer()
            let showID = try #require(before["shows"]?.first?["id"]?.string.flatMap(UUID.init(uuidString:)))
            let map = try await t.request(.GET, "/shows/\(showID)/availability").content.decode(
                AvailabilityResponse.self)
            let free = try #require(map.seats.first { $0.status == "available" })
            let held = try await t.request(
                .POST, "/seatlocks", json: CreateSeatLockRequest(showId: showID, seatIds: [free.id]),
                token: customer.accessToken)
            #expect(held.status == .created, "\(held.body.string)")
            #expect(try await t.app.boxOffice.holds.store.holds(forUser: nil).count == 1)

            let restored = try await t.restore(backup.id, admin)
            #expect(restored.status == .created, "\(restored.body.string)")
            #expect(try await t.app.boxOffice.holds.store.holds(forUser: nil).isEmpty)
            let record = try restored.content.decode(RestoreResponse.self)
            #expect(record.status == "completed")
            // Every row but the audit trail's, which the live table already held (it is kept, never replaced).
            #expect(record.rowsRestored == before.filter { $0.key != "audit_logs" }.values.map(\.count).reduce(0, +))

            let after = try await t.tables()
            #expect(Set(after.keys) == Set(before.keys))
            for (table, rows) in before where !["audit_logs", "user_sessions"].contains(table) {
                #expect(after[table] == rows, "\(table) differs after the restore")
            }
            // The backup's sessions, every one of them now revoked: everyone signs in again.
            let sessions = after["user_sessions"] ?? []
            let sessionIDs = sessions.compactMap { $0["id"]?.string }
            #expect(Set(sessionIDs) == Set((before["user_sessions"] ?? []).compactMap { $0["id"]?.string }))
            #expect(sessions.allSatisfy { $0["revoked_reason"] != nil && $0["revoked_reason"] != .null })
            // The trail is the one before, plus the backup and the restore themselves.
            let trail = after["audit_logs"] ?? []
            #expect(trail.count == (before["audit_logs"] ?? []).count + 2)
            #expect(trail.contains { $0["action"]?.string == "backup.create" })
            #expect(trail.contains { $0["action"]?.string == "restore.create" })

            // The API answers from the restored data (no cache kept the mistake).
            let movies = try await t.request(.GET, "/movies").content.decode(Page<MovieResponse>.self)
            #expect(!movies.items.contains { $0.title == "Oops" })
            // The restore signed the admin out too.
            #expect(try await t.request(.GET, "/restore", token: admin.accessToken).status == .unauthorized)
            let again = try await t.login(admin.email, admin.password)
            let list = try await t.request(.GET, "/restore", token: again.accessToken).content.decode(
                Page<RestoreResponse>.self)
            #expect(list.items.map(\.id) == [record.id])
            #expect(try await t.request(.GET, "/restore/\(record.id)", token: again.accessToken).status == .ok)
            #expect(
                try await t.request(.DELETE, "/restore/\(record.id)", token: again.accessToken).status == .noContent)
            #expect(try await t.request(.GET, "/restore/\(record.id)", token: again.accessToken).status == .notFound)
        }
    }

    @Test func listShowDownloadAndDelete() async throws {
        try await withBackupApp { t, admin in
            let backup = try await t.backup(admin)
            let list = try await t.request(.GET, "/backup", token: admin.accessToken).content.decode(
                Page<BackupResponse>.self)
            #expect(list.items.map(\.id) == [backup.id])
            let shown = try await t.request(.GET, "/backup/\(backup.id)", token: admin.accessToken)
            #expect(try shown.content.decode(BackupResponse.self).sha256 == backup.sha256)

            let download = try await t.request(.GET, "/backup/\(backup.id)/download", token: admin.accessToken)
            #expect(download.status == .ok)
            #expect(download.headers.contentType == .zip)
            #expect(Data(buffer: download.body) == (try Data(contentsOf: t.backupFile(backup))))

            #expect(try await t.request(.DELETE, "/backup/\(backup.id)", token: admin.accessToken).status == .noContent)
            #expect(!FileManager.default.fileExists(atPath: t.backupFile(backup).path))
            #expect(try await t.request(.GET, "/backup/\(backup.id)", token: admin.accessToken).status == .notFound)
            #expect(
                try await t.request(.GET, "/backup/\(UUID())/download", token: admin.accessToken).status == .notFound)
        }
    }

    @Test func customersCannotBackUpOrRestore() async throws {
        try await withBackupApp { t, admin in
            let backup = try await t.backup(admin)
            let customer = try await t.customer()
            #expect(
                try await t.request(.POST, "/backup", json: ["note": "x"], token: customer.accessToken).status
                    == .forbidden)
            #expect(try await t.request(.GET, "/backup", token: customer.accessToken).status == .forbidden)
            #expect(
                try await t.request(.GET, "/backup/\(backup.id)/download", token: customer.accessToken).status
                    == .forbidden)
            #expect(try await t.restore(backup.id, customer).status == .forbidden)
            #expect(try await t.request(.POST, "/backup").status == .unauthorized)
            let long = String(repeating: "n", count: BackupService.maxNoteLength + 1)
            #expect(
                try await t.request(.POST, "/backup", json: ["note": long], token: admin.accessToken).status
                    == .unprocessableEntity)
        }
    }

    /// While a restore runs: a second one is a 409, writes get 503 with Retry-After, reads go on.
    @Test func aRestoreRunningRefusesWritesAndASecondRestore() async throws {
        try await withBackupApp { t, admin in
            let backup = try await t.backup(admin)
            let maintenance = t.app.boxOffice.maintenance
            #expect(maintenance.begin())
            let second = try await t.restore(backup.id, admin)
            #expect(second.status == .conflict)
            #expect(second.body.string.contains("restore_running"))
            let write = try await t.request(.POST, "/backup", json: ["note": "x"], token: admin.accessToken)
            #expect(write.status == .serviceUnavailable)
            #expect(write.headers.first(name: .retryAfter) == "30")
            #expect(try await t.request(.GET, "/movies").status == .ok)
            maintenance.end()
            #expect(try await t.restore(backup.id, admin).status == .created)
        }
    }

    /// A restore cut off by a crash stays `running` in its record; the next start marks it failed (its transaction
    /// never committed, so nothing changed).
    @Test func aRestoreInterruptedByAStopIsMarkedFailedAtTheNextStart() async throws {
        try await withTestApp { t in
            let record = RestoreRecord()
            record.status = "running"
            record.rowsRestored = 0
            record.startedAt = t.clock.now()
            try await record.create(on: t.app.db)
            try await prepareToServe(t.app)
            let after = try #require(try await RestoreRecord.find(record.id, on: t.app.db))
            #expect(after.status == "failed")
            #expect(after.error?.contains("Interrupted") == true)
            #expect(after.finishedAt != nil)
        }
    }

    @Test func aDamagedOrForeignArchiveIsA422AndChangesNothing() async throws {
        try await withBackupApp { t, admin in
            let backup = try await t.backup(admin)
            let file = t.backupFile(backup)
            let original = try Data(contentsOf: file)
            try await t.app.db.sql().raw("DELETE FROM food_items").run()
            let before = try await t.tables()

            func expectRefused(_ code: String, _ why: String) async throws {
                let response = try await t.restore(backup.id, admin)
                #expect(response.status == .unprocessableEntity, "\(why): \(response.body.string)")
                #expect(response.body.string.contains(code), "\(why): \(response.body.string)")
                #expect(try await t.tables() == before, "\(why) changed data")
            }

            try Data("not a zip at all".utf8).write(to: file)
            try await expectRefused("invalid_backup", "a corrupted file")

            try original.write(to: file)
            try replaceEntry("tables/movies.json", in: file, with: Data("[]".utf8))
            try await expectRefused("invalid_backup", "a tampered table")

            try original.write(to: file)
            let manifest = try entry("manifest.json", in: file)
            let future = String(decoding: manifest, as: UTF8.self).replacingOccurrences(
                of: "\"format_version\" : 1", with: "\"format_version\" : 99")
            try replaceEntry("manifest.json", in: file, with: Data(future.utf8))
            try await expectRefused("backup_signature_invalid", "a manifest changed after it was signed")
            try resign(file, with: t.app.boxOffice.backups.signer)
            try await expectRefused("incompatible_backup", "an unknown format version")

            // Checksums right, but one movie twice: the database refuses it and the whole restore rolls back.
            try original.write(to: file)
            let signer = t.app.boxOffice.backups.signer
            let contents = try BackupArchive.read(
                file, signer: signer, limits: BackupLimits(maxEntryBytes: 1 << 30, maxTotalBytes: 1 << 30))
            var rows = contents.rows
            rows["movies"] = (rows["movies"] ?? []) + [rows["movies"]![0]]
            try FileManager.default.removeItem(at: file)
            _ = try BackupArchive.write(
                to: file, catalog: try await TableCatalog.read(t.app.db), migrations: contents.manifest.migrations,
                rows: rows, note: nil, createdAt: Date(), signer: signer)
            try await expectRefused("restore_failed", "a row the database refuses")

            let restores = try await t.request(.GET, "/restore", token: admin.accessToken).content.decode(
                Page<RestoreResponse>.self)
            #expect(restores.items.count == 5)
            #expect(restores.items.allSatisfy { $0.status == "failed" && $0.error != nil })
        }
    }
}

/// The bytes of one entry of a ZIP.
func entry(_ path: String, in file: URL) throws -> Data {
    let archive = try Archive(url: file, accessMode: .read)
    var data = Data()
    _ = try archive.extract(try #require(archive[path])) { data.append($0) }
    return data
}

/// Swaps one entry of a ZIP for `data`, leaving the manifest (and its checksums) as they were.
func replaceEntry(_ path: String, in file: URL, with data: Data) throws {
    let archive = try Archive(url: file, accessMode: .update)
    try archive.remove(try #require(archive[path]))
    try archive.addEntry(with: path, type: .file, uncompressedSize: Int64(data.count)) { position, size in
        data.subdata(in: Int(position)..<Int(position) + size)
    }
}

@Suite("Backups on GitHub (a local stand-in for the contents API)")
struct GitHubBackupTests {
    @Test func aBackupIsUploadedRestoredFromGitHubAndDeletedThere() async throws {
        try await GitHubStandIn.with { github in
            try await withBackupApp(configure: {
                $0.githubBackup = .init(repository: "cinema/backups", token: github.token, apiURL: github.url)
            }) { t, admin in
                let backup = try await t.backup(admin)
                #expect(backup.destination == "github")
                #expect(backup.location == "backups/\(backup.fileName)")
                let stored = try #require(github.file("cinema/backups/\(backup.location)"))
                #expect(stored == (try Data(contentsOf: t.backupFile(backup))))

                // The local copy is lost: the restore (and the download) read GitHub's.
                try FileManager.default.removeItem(at: t.backupFile(backup))
                try await t.app.db.sql().raw("DELETE FROM food_items").run()
                let restored = try await t.restore(backup.id, admin)
                #expect(restored.status == .created, "\(restored.body.string)")
                #expect(try await t.tables()["food_items"]?.isEmpty == false)
                let again = try await t.login(admin.email, admin.password)  // the restore signed everyone out
                let download = try await t.request(.GET, "/backup/\(backup.id)/download", token: again.accessToken)
                #expect(Data(buffer: download.body) == stored)

                #expect(
                    try await t.request(.DELETE, "/backup/\(backup.id)", token: again.accessToken).status == .noContent)
                #expect(github.file("cinema/backups/\(backup.location)") == nil)
            }
        }
    }

    @Test func aRefusedUploadIsRecordedAsFailedAndA502() async throws {
        try await GitHubStandIn.with { github in
            try await withBackupApp(configure: {
                $0.githubBackup = .init(repository: "cinema/backups", token: "wrong-token", apiURL: github.url)
            }) { t, admin in
                let response = try await t.request(.POST, "/backup", json: ["note": "x"], token: admin.accessToken)
                #expect(response.status == .badGateway, "\(response.body.string)")
                #expect(response.body.string.contains("backup_destination_failed"))
                #expect(!response.body.string.contains("wrong-token"))
                let list = try await t.request(.GET, "/backup", token: admin.accessToken).content.decode(
                    Page<BackupResponse>.self)
                #expect(list.items.map(\.status) == ["failed"])
                #expect(list.items.first?.error?.contains("401") == true)
            }
        }
    }

    @Test func anArchiveOverTheAPIsLimitIsAClearError() async throws {
        let github = try await GitHubStandIn.start()
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("bx-large-\(UUID().uuidString).zip")
        try Data(repeating: 7, count: 2048).write(to: file)
        defer { try? FileManager.default.removeItem(at: file) }
        var destination = GitHubBackupDestination(
            repository: "cinema/backups", token: github.token, apiURL: github.url, client: HTTPClient.shared)
        destination.maxBytes = 1024
        do {
            _ = try await destination.store(file, named: "large.zip")
            Issue.record("an archive over the limit was uploaded")
        } catch let error as APIError {
            #expect(error.code == "backup_too_large")
            #expect(error.detail.contains("1024"))
        }
        #expect(github.file("cinema/backups/backups/large.zip") == nil)
        await github.stop()
    }
}
