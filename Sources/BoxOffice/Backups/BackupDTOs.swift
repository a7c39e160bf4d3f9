import OpenAPIKit
import Vapor

struct CreateBackupRequest: Content {
    var note: String?

    func validated() throws -> String? {
        guard let note = note?.trimmingCharacters(in: .whitespacesAndNewlines), !note.isEmpty else { return nil }
        guard note.count <= BackupService.maxNoteLength else {
            throw APIError.validation(field: "note", "must be at most \(BackupService.maxNoteLength) characters")
        }
        return note
    }
}

struct RestoreRequest: Content {
    var backupId: UUID
}

struct BackupResponse: Content {
    var id: UUID
    var createdBy: UUID?
    var note: String?
    var fileName: String
    var sizeBytes: Int
    var sha256: String
    var destination: String
    var location: String
    var status: String
    var error: String?
    var rowCounts: [String: Int]
    var createdAt: Date

    init(_ record: BackupRecord) throws {
        id = try record.requireID()
        createdBy = record.createdBy
        note = record.note
        fileName = record.fileName
        sizeBytes = record.sizeBytes
        sha256 = record.sha256
        destination = record.destination
        location = record.location
        status = record.status
        error = record.error
        rowCounts = (try? JSONDecoder().decode([String: Int].self, from: Data(record.rowCounts.utf8))) ?? [:]
        createdAt = record.createdAt
    }
}

struct RestoreResponse: Content {
    var id: UUID
    var backupId: UUID?
    var requestedBy: UUID?
    var status: String
    var error: String?
    var rowsRestored: Int
    var startedAt: Date
    var finishedAt: Date?

    init(_ record: RestoreRecord) throws {
        id = try record.requireID()
        backupId = record.backupID
        requestedBy = record.requestedBy
        status = record.status
        error = record.error
        rowsRestored = record.rowsRestored
        startedAt = record.startedAt
        finishedAt = record.finishedAt
    }
}

extension CreateBackupRequest: APISchema {
    static var apiSchema: JSONSchema {
        .object(properties: [
            "note": .string(
                required: false, nullable: true, description: "Why it was taken",
                maxLength: BackupService.maxNoteLength)
        ])
    }
}

extension RestoreRequest: APISchema {
    static var apiSchema: JSONSchema {
        .object(properties: ["backup_id": .uuid])
    }
}

extension BackupResponse: APISchema {
    static var apiSchema: JSONSchema {
        .object(properties: [
            "id": .uuid,
            "created_by": .string(
                format: .uuid, required: false, nullable: true, description: "The admin; absent for the CLI"),
            "note": .string(required: false, nullable: true),
            "file_name": .string,
            "size_bytes": .integer(minimum: (0, exclusive: false)),
            "sha256": .string(description: "SHA-256 of the ZIP, hex"),
            "destination": .string(allowedValues: ["local", "github"]),
            "location": .string(description: "The file in BACKUP_DIR, or its path in the GitHub repository"),
            "status": .string(allowedValues: ["completed", "failed"]),
            "error": .string(required: false, nullable: true),
            "row_counts": .object(description: "Rows per table", additionalProperties: .init(.integer)),
            "created_at": .timestamp,
        ])
    }
}

extension RestoreResponse: APISchema {
    static var apiSchema: JSONSchema {
        .object(properties: [
            "id": .uuid,
            "backup_id": .string(format: .uuid, required: false, nullable: true),
            "requested_by": .string(format: .uuid, required: false, nullable: true),
            "status": .string(allowedValues: ["running", "completed", "failed"]),
            "error": .string(required: false, nullable: true),
            "rows_restored": .integer(minimum: (0, exclusive: false)),
            "started_at": .timestamp,
            "finished_at": .string(format: .dateTime, required: false, nullable: true),
        ])
    }
}
