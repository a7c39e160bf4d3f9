import Crypto
import Fluent
import SQLKit
import Vapor

/// `Idempotency-Key` for mutating calls: the same key and body get the first response again; the same key with
/// another body is a 409; a retry while the first is still running is a 409 too, never a second booking.
/// Records live 48 hours; one whose request died mid-way is taken over after a 60-second lease.
struct Idempotency: Sendable {
    let clock: any AppClock
    static let lifetime: TimeInterval = 48 * 3600
    /// How long a first request may run before a retry with its key takes over (it died mid-way).
    static let lease: TimeInterval = 60

    func run(_ req: Request, scope: String, userID: UUID, _ body: () async throws -> Response) async throws -> Response
    {
        guard let key = req.headers.first(name: "Idempotency-Key")?.trimmed, !key.isEmpty else {
            return try await body()
        }
        guard key.count <= 200 else {
            throw APIError.validation(field: "Idempotency-Key", "must be at most 200 characters")
        }
        let hash = SHA256.hash(data: Data(buffer: req.body.data ?? ByteBuffer())).hex
        var record = IdempotencyRecord()
        record.userID = userID
        record.scope = scope
        record.key = key
        record.requestHash = hash
        record.createdAt = clock.now()
        do {
            try await req.db.insert(record)
        } catch let error where ConstraintViolation(error)?.violates(.idempotencyKey) == true {
            switch try await existing(key: key, scope: scope, userID: userID, hash: hash, on: req.db) {
            case .replay(let response): return response
            case .takeOver(let abandoned): record = abandoned
            }
        }
        let response: Response
        do {
            response = try await body()
        } catch {
            let problem = ProblemDetailsMiddleware().render(error, for: req)
            if problem.status.code >= 500 {
                try? await record.delete(on: req.db)
            } else {
                try await store(problem, in: record, on: req.db)
            }
            return problem
        }
        try await store(response, in: record, on: req.db)
        return response
    }

    private func store(_ response: Response, in record: IdempotencyRecord, on db: any Database) async throws {
        try await db.sql().update(IdempotencyRecord.schema)
            .set("status_code", to: Int(response.status.code))
            .set("response_body", to: response.body.string ?? "")
            .where("id", .equal, record.requireID())
            .run()
    }

    private enum Existing {
        case replay(Response)
        /// The first request died mid-way (its lease ran out with no response stored): this one runs instead.
        case takeOver(IdempotencyRecord)
    }

    private func existing(key: String, scope: String, userID: UUID, hash: String, on db: any Database) async throws
        -> Existing
    {
        guard
            let existing = try await IdempotencyRecord.query(on: db)
                .filter(\.$userID == userID).filter(\.$scope == scope).filter(\.$key == key).first()
        else { throw APIError.conflict(.idempotencyConflict, "Retry the request.") }
        guard existing.requestHash == hash else {
            throw APIError.conflict(
                .idempotencyKeyReused, "This Idempotency-Key was used with another request body.")
        }
        guard let status = existing.statusCode, let body = existing.responseBody else {
            if let claimed = try await takeOver(existing, on: db) { return .takeOver(claimed) }
            throw APIError.conflict(
                .idempotencyInProgress, "The first request with this key is still running; retry shortly.")
        }
        var headers = HTTPHeaders()
        headers.contentType = status >= 400 ? .problemJSON : .json
        headers.replaceOrAdd(name: "Idempotent-Replayed", value: "true")
        return .replay(
            Response(status: HTTPResponseStatus(statusCode: status), headers: headers, body: .init(string: body)))
    }

    /// Claims a record whose request has run longer than the lease without storing a response. The claim is a
    /// conditional update of its start time, so of two retries only one takes over.
    private func takeOver(_ record: IdempotencyRecord, on db: any Database) async throws -> IdempotencyRecord? {
        let now = clock.now()
        let cutoff = now.addingTimeInterval(-Self.lease)
        guard record.createdAt <= cutoff, let id = record.id else { return nil }
        let sql = try db.sql()
        // The winner moves the start time to now, so the other's condition no longer holds.
        let claimed = try await sql.update(IdempotencyRecord.schema).set("created_at", to: now)
            .where("id", .equal, id).where("status_code", .is, SQLLiteral.null)
            .where("created_at", .lessThanOrEqual, cutoff)
            .returning("id").all()
        guard claimed.count == 1 else { return nil }
        record.createdAt = now
        return record
    }

    /// Forgets keys older than the lifetime.
    func purge(on db: any Database) async throws {
        try await IdempotencyRecord.query(on: db).filter(\.$createdAt < clock.now().addingTimeInterval(-Self.lifetime))
            .delete()
    }
}
