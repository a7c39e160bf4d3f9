import Vapor

/// What can go wrong with a backup or a restore, each a clear 4xx (or 502 for an unreachable destination).
enum BackupError {
    /// The archive is not one we can read: not a ZIP, a missing file, a checksum that does not match.
    static func invalidArchive(_ reason: String) -> APIError {
        APIError(.unprocessableEntity, code: .invalidBackup, detail: reason)
    }

    /// The archive was written by another format version, or for another schema.
    static func schema(_ reason: String) -> APIError {
        APIError(.unprocessableEntity, code: .incompatibleBackup, detail: reason)
    }

    /// A row the target database refused (a constraint, a type): the restore was rolled back.
    static func rejectedRow(_ reason: String) -> APIError {
        APIError(
            .unprocessableEntity, code: .restoreFailed,
            detail: "The database refused a row, so nothing was changed: \(reason)")
    }

    static let restoreRunning = APIError.conflict(
        .restoreRunning, "A restore is already running; wait for it to finish.")

    static func destination(_ reason: String) -> APIError {
        APIError(.badGateway, code: .backupDestinationFailed, detail: reason)
    }

    /// The archive has no `manifest.sig`: made before backups were signed, or by something other than BoxOffice.
    static let unsigned = APIError(
        .unprocessableEntity, code: .backupUnsigned,
        detail: "The archive is not signed (no manifest.sig); only backups this server signed can be restored.")

    /// The signature does not verify with `BACKUP_SIGNING_KEY`: the archive was changed, or signed with another key.
    static func signatureInvalid(_ reason: String) -> APIError {
        APIError(.unprocessableEntity, code: .backupSignatureInvalid, detail: reason)
    }

    /// Also an entry, or the whole archive, that unpacks past `BACKUP_MAX_ENTRY_BYTES` / `BACKUP_MAX_TOTAL_BYTES`.
    static func tooLarge(_ reason: String) -> APIError {
        APIError(.unprocessableEntity, code: .backupTooLarge, detail: reason)
    }
}
