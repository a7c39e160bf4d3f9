import Fluent

/// The backup and restore records. No foreign keys: they outlive the users and data a restore replaces.
struct CreateBackupRecords: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(BackupRecord.schema)
            .id()
            .field("created_by", .uuid)
            .field("note", .string)
            .field("file_name", .string, .required)
            .field("size_bytes", .int64, .required)
            .field("sha256", .string, .required)
            .field("destination", .string, .required)
            .field("location", .string, .required)
            .field("status", .string, .required)
            .field("error", .string)
            .field("row_counts", .string, .required)
            .field("created_at", .datetime, .required)
            .create()
        try await database.schema(RestoreRecord.schema)
            .id()
            .field("backup_id", .uuid)
            .field("requested_by", .uuid)
            .field("status", .string, .required)
            .field("error", .string)
            .field("rows_restored", .int64, .required)
            .field("started_at", .datetime, .required)
            .field("finished_at", .datetime)
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(RestoreRecord.schema).delete()
        try await database.schema(BackupRecord.schema).delete()
    }
}
