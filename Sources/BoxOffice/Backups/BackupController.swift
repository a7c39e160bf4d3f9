import Fluent
import OpenAPIKit
import Vapor

/// `/backup` and `/restore`, admins only: take, list, download and delete backups; restore one.
struct BackupController: RouteCollection {
    let context: RouteContext
    let backups: BackupService

    func boot(routes: any RoutesBuilder) throws {
        let (_, _, admin) = context.routes(routes, "backup", tag: "Backup")
        admin.on(
            .POST, summary: "Back up every table into one ZIP (and to GitHub when configured)",
            body: .of(CreateBackupRequest.self), status: .created, response: .of(BackupResponse.self),
            errors: [.unprocessableEntity, .badGateway], use: create
        ).withoutDeadline()
        admin.on(
            .GET, summary: "Backups, newest first", response: .page(of: BackupResponse.self),
            query: APIDoc.QueryParameter.paging, use: index)
        admin.on(.GET, ":id", summary: "One backup", response: .of(BackupResponse.self), use: show)
        let download = admin.on(
            .GET, ":id", "download", summary: "The backup's ZIP, as stored (audited: backup.download)",
            response: SchemaRef(name: "BackupArchive", schema: .string(contentEncoding: .binary)),
            errors: [.unprocessableEntity, .badGateway], use: download
        ).withoutDeadline()
        download.userInfo[APIDoc.userInfoKey] = (download.userInfo[APIDoc.userInfoKey] as? APIDoc).map {
            var doc = $0
            doc.responseContentType = "application/zip"
            return doc
        }
        admin.on(.DELETE, ":id", summary: "Delete a backup: its file and its record", status: .noContent, use: delete)

        let (_, _, restores) = context.routes(routes, "restore", tag: "Backup")
        restores.on(
            .POST,
            summary:
                "Restore a backup: checks its signature, sizes and checksums (422 backup_unsigned, "
                + "backup_signature_invalid, backup_too_large, invalid_backup, incompatible_backup), then replaces all "
                + "data but the audit trail in one transaction and signs everyone out; writes get 503 meanwhile",
            body: .of(RestoreRequest.self), status: .created, response: .of(RestoreResponse.self),
            errors: [.notFound, .conflict, .unprocessableEntity, .badGateway], use: restore
        ).withoutDeadline().auditedByService()
        restores.on(
            .GET, summary: "Restores, newest first", response: .page(of: RestoreResponse.self),
            query: APIDoc.QueryParameter.paging, use: restoreIndex)
        restores.on(.GET, ":id", summary: "One restore", response: .of(RestoreResponse.self), use: restoreShow)
        restores.on(
            .DELETE, ":id", summary: "Delete a finished restore's record", status: .noContent, errors: [.conflict],
            use: restoreDelete)
    }

    @Sendable func create(req: Request) async throws -> Created<BackupResponse> {
        let note = try req.content.decode(CreateBackupRequest.self).validated()
        return Created(try BackupResponse(try await backups.create(note: note, by: try req.currentUser.id, on: req.db)))
    }

    @Sendable func index(req: Request) async throws -> Page<BackupResponse> {
        try await BackupRecord.query(on: req.db).sort(\.$createdAt, .descending).sort(\.$id, .descending)
            .page(try PageRequest(from: req), map: BackupResponse.init)
    }

    @Sendable func show(req: Request) async throws -> BackupResponse {
        try BackupResponse(try await backups.find(try req.requireID("id", "Backup"), on: req.db))
    }

    /// Audited before a byte is sent (the ZIP holds every password hash and phone number); a download whose row
    /// cannot be written is refused.
    @Sendable func download(req: Request) async throws -> Response {
        let record = try await backups.find(try req.requireID("id", "Backup"), on: req.db)
        let file = try await backups.localFile(of: record)
        let caller = try req.currentUser
        try await context.audit.record(
            "backup.download", entityType: "backup", entityID: try record.requireID().uuidString,
            actor: .user(id: caller.id, email: try await User.find(caller.id, on: req.db)?.email),
            extra: ["file": .string(record.fileName), "sha256": .string(record.sha256)], requestID: req.requestID,
            on: req.db)
        let response = try await req.fileio.asyncStreamFile(at: file.path, mediaType: .zip)
        response.headers.replaceOrAdd(
            name: .contentDisposition, value: "attachment; filename=\"\(record.fileName)\"")
        return response
    }

    @Sendable func delete(req: Request) async throws -> HTTPStatus {
        try await backups.delete(try req.requireID("id", "Backup"), on: req.db)
        return .noContent
    }

    @Sendable func restore(req: Request) async throws -> Created<RestoreResponse> {
        let body = try req.content.decode(RestoreRequest.self)
        return Created(
            try RestoreResponse(
                try await backups.restore(
                    backupID: body.backupId, by: try req.currentUser.id, requestID: req.requestID, on: req.db)))
    }

    @Sendable func restoreIndex(req: Request) async throws -> Page<RestoreResponse> {
        try await RestoreRecord.query(on: req.db).sort(\.$startedAt, .descending).sort(\.$id, .descending)
            .page(try PageRequest(from: req), map: RestoreResponse.init)
    }

    @Sendable func restoreShow(req: Request) async throws -> RestoreResponse {
        try RestoreResponse(try await findRestore(req))
    }

    @Sendable func restoreDelete(req: Request) async throws -> HTTPStatus {
        let record = try await findRestore(req)
        guard record.status != "running" || !backups.maintenance.isActive else {
            throw APIError.conflict(.restoreRunning, "This restore is still running.")
        }
        try await record.delete(on: req.db)
        return .noContent
    }

    private func findRestore(_ req: Request) async throws -> RestoreRecord {
        guard let record = try await RestoreRecord.find(try req.requireID("id", "Restore"), on: req.db) else {
            throw APIError.notFound("Restore")
        }
        return record
    }
}
