import Fluent
import Foundation
import NIOPosix
import Vapor

/// Takes, lists, serves and deletes backups, and restores them.
struct BackupService: Sendable {
    let directory: URL
    /// Where the backup is kept: `BACKUP_DIR` itself (local), or a copy in GitHub when configured.
    let destination: any BackupDestination
    let maintenance: Maintenance
    let holds: HoldService
    let freshness: Freshness
    let clock: any AppClock
    let threadPool: NIOThreadPool
    let logger: Logger
    /// Signs every archive's manifest, and refuses to restore one it did not sign.
    let signer: BackupSigner
    let limits: BackupLimits
    /// A restore ends every session; this is how the instances hear it (as they hear a logout).
    let sessions: SessionCache
    /// The restore's own row, written in its transaction.
    let audit: AuditService

    static let maxNoteLength = 500

    /// Snapshots every table, zips it (off the event loop) into `BACKUP_DIR`, hands it to the destination (a copy
    /// in GitHub when configured), and records it. A failed upload is recorded as failed and reported; the local file stays.
    func create(note: String?, by admin: UUID?, on db: any Database) async throws -> BackupRecord {
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let createdAt = clock.now()
        let id = UUID()
        let name = Self.fileName(createdAt, id: id)
        let file = directory.appendingPathComponent(name)
        let partial = directory.appendingPathComponent(".\(name).partial")
        let snapshot = try await TableData.read(db)
        let manifest: BackupArchive.Manifest
        do {
            manifest = try await threadPool.runIfActive {
                try? FileManager.default.removeItem(at: partial)
                let manifest = try BackupArchive.write(
                    to: partial, catalog: snapshot.catalog, migrations: snapshot.migrations, rows: snapshot.rows,
                    note: note, createdAt: createdAt, signer: signer)
                try FileManager.default.moveItem(at: partial, to: file)
                return manifest
            }
        } catch {
            try? FileManager.default.removeItem(at: partial)
            throw error
        }
        let record = BackupRecord()
        record.id = id
        record.createdBy = admin
        record.note = note
        record.fileName = name
        record.sizeBytes = (try FileManager.default.attributesOfItem(atPath: file.path)[.size] as? Int) ?? 0
        record.sha256 = try await threadPool.runIfActive { try BackupArchive.sha256Hex(of: file) }
        record.destination = destination.name
        record.location = name
        record.status = "completed"
        record.rowCounts =
            AuditJSON.object(
                Dictionary(uniqueKeysWithValues: manifest.tables.map { ($0.name, AuditJSON.int($0.rows)) })
            ).encoded
        record.createdAt = createdAt
        var failure: APIError?
        do {
            record.location = try await destination.store(file, named: name)
        } catch let error as APIError {
            failure = error
        } catch {
            failure = BackupError.destination("\(error)")
        }
        if let failure {
            record.status = "failed"
            record.error = failure.detail
        }
        try await record.create(on: db)
        logger.notice(
            "backup", metadata: ["id": "\(id)", "bytes": "\(record.sizeBytes)", "status": "\(record.status)"])
        if let failure { throw failure }
        return record
    }

    func find(_ id: UUID, on db: any Database) async throws -> BackupRecord {
        guard let record = try await BackupRecord.find(id, on: db) else { throw APIError.notFound("Backup") }
        return record
    }

    /// The archive's local path; fetched back from the destination first when the local file is gone.
    func localFile(of record: BackupRecord) async throws -> URL {
        let file = directory.appendingPathComponent(record.fileName)
        if FileManager.default.fileExists(atPath: file.path) { return file }
        guard record.destination == destination.name, record.status == "completed" else {
            throw BackupError.invalidArchive("The backup's file is gone from \(directory.path).")
        }
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        try await destination.fetch(record.location, to: file)
        return file
    }

    /// Deletes the artifact (here and at the destination) and the record.
    func delete(_ id: UUID, on db: any Database) async throws {
        let record = try await find(id, on: db)
        if record.destination == destination.name, record.status == "completed" {
            try await destination.delete(record.location)
        }
        try? FileManager.default.removeItem(at: directory.appendingPathComponent(record.fileName))
        try await record.delete(on: db)
    }

    /// Restores a recorded backup: see `restore(file:…)`.
    func restore(backupID: UUID, by admin: UUID?, requestID: String? = nil, on db: any Database) async throws
        -> RestoreRecord
    {
        guard maintenance.begin() else { throw BackupError.restoreRunning }
        defer { maintenance.end() }
        let record = try await find(backupID, on: db)
        let file = try await localFile(of: record)
        return try await restoreInMaintenance(
            file: file, backupID: backupID, by: admin, requestID: requestID, on: db)
    }

    /// Verifies the archive (this server's signature on the manifest, the size caps, every checksum, the schema),
    /// then, in maintenance and in one transaction: replaces all data but the audit trail (which only gains the
    /// backup's rows it lacks), revokes every session (everyone signs in again: a session, a password or a role the
    /// backup brings back must not let an old token in), and records the restore in the audit trail. Then it drops
    /// every seat hold and moves every cache version, here and on the other instances. Nothing changes unless all of
    /// it works.
    ///
    /// The admin who restores loses their session too: the answer to this request is the last their token gets.
    func restore(file: URL, by admin: UUID?, requestID: String? = nil, on db: any Database) async throws
        -> RestoreRecord
    {
        guard maintenance.begin() else { throw BackupError.restoreRunning }
        defer { maintenance.end() }
        return try await restoreInMaintenance(file: file, backupID: nil, by: admin, requestID: requestID, on: db)
    }

    private func restoreInMaintenance(
        file: URL, backupID: UUID?, by admin: UUID?, requestID: String?, on db: any Database
    ) async throws -> RestoreRecord {
        let record = RestoreRecord()
        record.backupID = backupID
        record.requestedBy = admin
        record.status = "running"
        record.rowsRestored = 0
        record.startedAt = clock.now()
        try await record.create(on: db)
        do {
            let (signer, limits) = (self.signer, self.limits)
            let (contents, archiveSHA256) = try await threadPool.runIfActive {
                (try BackupArchive.read(file, signer: signer, limits: limits), try BackupArchive.sha256Hex(of: file))
            }
            let catalog = try await TableCatalog.read(db)
            try Self.checkCompatible(
                contents.manifest, with: catalog, migrations: try await TableCatalog.appliedMigrations(db))
            // Read before the restore replaces the accounts: the restoring admin may not be in the backup.
            let actor: AuditActor =
                if let admin { .user(id: admin, email: try await User.find(admin, on: db)?.email) } else { .system }
            let restoreID = try record.requireID()
            let written: Int
            do {
                written = try await db.writeTransaction { tx in
                    let count = try await TableData.replace(contents.rows, catalog: catalog, on: tx)
                    let revoked = try await Self.revokeAllSessions(at: clock.now(), on: tx)
                    try await audit.record(
                        "restore.create", entityType: "restore", entityID: restoreID.uuidString, actor: actor,
                        extra: [
                            "backup_id": backupID.map { .string($0.uuidString) } ?? .null,
                            "file": .string(file.lastPathComponent), "archive_sha256": .string(archiveSHA256),
                            "backup_created_at": .string(
                                ISO8601DateFormatter().string(from: contents.manifest.createdAt)),
                            "rows_restored": .int(count), "sessions_revoked": .int(revoked),
                        ], requestID: requestID, on: tx)
                    return count
                }
            } catch let error as APIError {
                throw error
            } catch {
                // A database that is down is a 503 to retry, not a row it refused.
                throw APIError.dependencyFailure(error) ?? BackupError.rejectedRow(Self.describe(error))
            }
            _ = try? await holds.releaseAll()
            await freshness.bumpAll()
            // As a logout does: no instance serves a cached session, and whatever listens for ended sessions (open
            // sockets) hears that they all ended.
            await sessions.changed()
            record.status = "completed"
            record.rowsRestored = written
        } catch {
            record.status = "failed"
            record.error = (error as? APIError)?.detail ?? "The restore failed."
            record.finishedAt = clock.now()
            try? await record.save(on: db)
            logger.error("restore failed", metadata: ["error": "\(record.error ?? "")"])
            throw error
        }
        record.finishedAt = clock.now()
        try await record.save(on: db)
        logger.notice(
            "restore", metadata: ["backup": "\(backupID?.uuidString ?? "file")", "rows": "\(record.rowsRestored)"])
        return record
    }

    /// Every session the restored data holds ends (sessions made after the backup are gone with it); their refresh
    /// tokens and access tokens are refused from now on. Returns how many were open.
    static func revokeAllSessions(at now: Date, on tx: any Database) async throws -> Int {
        let open = try await UserSession.query(on: tx).filter(\.$revokedAt == nil).count()
        try await UserSession.query(on: tx).filter(\.$revokedAt == nil)
            .set(\.$revokedAt, to: now).set(\.$revokedReason, to: "restore")
            .update()
        return open
    }

    /// At boot: a restore still `running` was cut off by a stop or a crash (its transaction rolled back, so the
    /// data is as it was before it); its record says so.
    func markInterruptedRestores(on db: any Database) async throws {
        try await RestoreRecord.query(on: db).filter(\.$status == "running")
            .set(\.$status, to: "failed")
            .set(\.$error, to: "Interrupted: the server stopped during the restore; nothing was changed.")
            .set(\.$finishedAt, to: clock.now())
            .update()
    }

    /// The backup must come from the same schema: the same applied migrations, tables and columns.
    static func checkCompatible(_ manifest: BackupArchive.Manifest, with catalog: TableCatalog, migrations: [String])
        throws
    {
        let missing = Set(migrations).subtracting(manifest.migrations).sorted()
        let unknown = Set(manifest.migrations).subtracting(migrations).sorted()
        if !unknown.isEmpty {
            throw BackupError.schema(
                "The backup comes from a newer schema; this server lacks the migrations \(unknown.prefix(3).joined(separator: ", "))."
            )
        }
        if !missing.isEmpty {
            throw BackupError.schema(
                "The backup comes from an older schema, before the migrations \(missing.prefix(3).joined(separator: ", "))."
            )
        }
        let backupTables = Set(manifest.tables.map(\.name))
        let liveTables = Set(catalog.tables)
        guard backupTables == liveTables else {
            let difference = backupTables.symmetricDifference(liveTables).sorted().prefix(3).joined(separator: ", ")
            throw BackupError.schema("The backup's tables differ from this database's: \(difference).")
        }
        for table in manifest.tables {
            let columns = Set(table.columns.map(\.name))
            guard columns == Set((catalog.columns[table.name] ?? []).map(\.name)) else {
                throw BackupError.schema("The columns of \(table.name) differ from this database's.")
            }
        }
    }

    /// A database error in a sentence, without the statement's values.
    private static func describe(_ error: any Error) -> String {
        let text = String(describing: error)
        return String(text.prefix(300))
    }

    static func fileName(_ date: Date, id: UUID) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "yyyyMMdd-HHmmss"
        return "boxoffice-\(formatter.string(from: date))-\(id.uuidString.prefix(8).lowercased()).zip"
    }
}
