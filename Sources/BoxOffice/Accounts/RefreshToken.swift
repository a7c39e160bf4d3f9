import Fluent
import Foundation

/// One refresh token; `used_at` is set when it is rotated. Presenting a used token again is reuse.
final class RefreshToken: Model, @unchecked Sendable {
    static let schema = "refresh_tokens"

    @ID(key: .id) var id: UUID?
    @Parent(key: "session_id") var session: UserSession
    @Field(key: "expires_at") var expiresAt: Date
    @OptionalField(key: "used_at") var usedAt: Date?
    @Field(key: "created_at") var createdAt: Date

    init() {}

    init(id: UUID? = nil, sessionID: UUID, expiresAt: Date, createdAt: Date) {
        self.id = id
        self.$session.id = sessionID
        self.expiresAt = expiresAt
        self.createdAt = createdAt
    }
}
