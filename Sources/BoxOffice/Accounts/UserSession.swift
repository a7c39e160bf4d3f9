import Fluent
import Foundation

/// One login: the family of refresh tokens rotated from it. Access tokens name their session,
/// so revoking a session (logout, password change, refresh-token reuse) ends its access tokens too.
final class UserSession: Model, @unchecked Sendable {
    static let schema = "user_sessions"

    @ID(key: .id) var id: UUID?
    @Parent(key: "user_id") var user: User
    @Field(key: "created_at") var createdAt: Date
    @OptionalField(key: "revoked_at") var revokedAt: Date?
    @OptionalField(key: "revoked_reason") var revokedReason: String?

    init() {}

    init(id: UUID? = nil, userID: UUID, createdAt: Date) {
        self.id = id
        self.$user.id = userID
        self.createdAt = createdAt
    }
}
