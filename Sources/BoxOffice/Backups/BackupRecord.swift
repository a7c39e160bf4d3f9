import Fluent
import Foundation

/// One backup: who took it, when, how big, its SHA-256, where it is stored, and how it went.
///
/// Backup and restore records are not part of the data a backup holds: restoring an older backup keeps the list of
/// backups (and the record of the restore itself).
final class BackupRecord: Model, @unchecked Sendable {
    static let schema = "backups"

    @ID(key: .id) var id: UUID?
    /// The admin; nil for the `backup` command.
    @OptionalField(key: "created_by") var createdBy: UUID?
    @OptionalField(key: "note") var note: String?
    /// The ZIP's file name in `BACKUP_DIR`.
    @Field(key: "file_name") var fileName: String
    @Field(key: "size_bytes") var sizeBytes: Int
    /// SHA-256 of the whole ZIP, lowercase hex.
    @Field(key: "sha256") var sha256: String
    /// `local` or `github`.
    @Field(key: "destination") var destination: String
    /// Where the destination keeps it: a path in `BACKUP_DIR`, or the file's path in the repository.
    @Field(key: "location") var location: String
    /// `completed` or `failed`.
    @Field(key: "status") var status: String
    @OptionalField(key: "error") var error: String?
    /// Rows per table, as JSON text `{"movies": 12, …}`.
    @Field(key: "row_counts") var rowCounts: String
    @Field(key: "created_at") var createdAt: Date

    init() {}
}

/// One restore: of which backup (nil when the `restore` command read a file), by whom, and how it ended.
final class RestoreRecord: Model, @unchecked Sendable {
    static let schema = "restores"

    @ID(key: .id) var id: UUID?
    @OptionalField(key: "backup_id") var backupID: UUID?
    @OptionalField(key: "requested_by") var requestedBy: UUID?
    /// `running`, `completed` or `failed`.
    @Field(key: "status") var status: String
    @OptionalField(key: "error") var error: String?
    @Field(key: "rows_restored") var rowsRestored: Int
    @Field(key: "started_at") var startedAt: Date
    @OptionalField(key: "finished_at") var finishedAt: Date?

    init() {}
}
