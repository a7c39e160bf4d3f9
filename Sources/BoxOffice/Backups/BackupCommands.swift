import ConsoleKit
import Foundation
import Vapor

/// `boxoffice backup [--out FILE]`: a backup of every table, as `POST /backup` takes it, recorded in the database.
/// With `--out` the ZIP is also copied to FILE. Moving from SQLite to PostgreSQL: `backup --out` on the old
/// database, then `restore --file` with `DATABASE_URL` naming the new one.
struct BackupCommand: AsyncCommand {
    struct Signature: CommandSignature {
        @Option(name: "out", short: "o", help: "Also write the ZIP to this file.")
        var out: String?
    }

    var help: String { "Backs up every table into one ZIP in BACKUP_DIR (and to --out)." }

    func run(using context: CommandContext, signature: Signature) async throws {
        let app = context.application
        try await app.autoMigrate()
        let service = app.boxOffice.backups
        let record: BackupRecord
        do {
            record = try await service.create(note: "boxoffice backup", by: nil, on: app.db)
        } catch let error as APIError {
            context.console.error("The backup failed: \(error.detail)")
            throw ExitCode.failure
        }
        try await app.boxOffice.audit.record(
            "backup.create", entityType: "backup", entityID: record.id?.uuidString, actor: .system, on: app.db)
        var written = service.directory.appendingPathComponent(record.fileName)
        if let out = signature.out {
            let target = URL(fileURLWithPath: out)
            try? FileManager.default.removeItem(at: target)
            try FileManager.default.copyItem(at: written, to: target)
            written = target
        }
        context.console.success("Backed up to \(written.path) (\(record.sizeBytes) bytes, sha256 \(record.sha256)).")
    }
}

/// `boxoffice restore --file FILE`: checks the archive and replaces all data with it, in one transaction. It
/// migrates first, so an empty PostgreSQL database takes a backup made on SQLite.
struct RestoreCommand: AsyncCommand {
    struct Signature: CommandSignature {
        @Option(name: "file", short: "f", help: "The backup ZIP to restore.")
        var file: String?
    }

    var help: String { "Replaces all data with a backup ZIP (checked first; all or nothing)." }

    func run(using context: CommandContext, signature: Signature) async throws {
        guard let path = signature.file else {
            context.console.error("Name the backup with --file FILE.")
            throw ExitCode.failure
        }
        let app = context.application
        try await app.autoMigrate()
        let record: RestoreRecord
        do {
            record = try await app.boxOffice.backups.restore(file: URL(fileURLWithPath: path), by: nil, on: app.db)
        } catch let error as APIError {
            context.console.error("Nothing was restored: \(error.detail)")
            throw ExitCode.failure
        }
        // The restore recorded itself in the audit trail (`restore.create`, no actor) and ended every session.
        context.console.success("Restored \(record.rowsRestored) rows from \(path); every session was signed out.")
    }
}
