import Fluent
import Foundation

public enum UserRole: String, Codable, Sendable, CaseIterable {
    case admin
    case user
    /// Door staff: checks tickets in (`POST /checkins`) and reads shows' check-in counts; no other staff route.
    case usher
}

final class User: Model, @unchecked Sendable {
    static let schema = "users"

    @ID(key: .id) var id: UUID?
    @Field(key: "name") var name: String
    /// Stored lower-cased, so uniqueness ignores case.
    @Field(key: "email") var email: String
    @Field(key: "phone") var phone: String
    @Field(key: "password_hash") var passwordHash: String
    @Field(key: "role") var role: UserRole
    @Field(key: "is_disabled") var isDisabled: Bool
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?
    @Timestamp(key: "updated_at", on: .update) var updatedAt: Date?

    init() {}

    init(id: UUID? = nil, name: String, email: String, phone: String, passwordHash: String, role: UserRole = .user) {
        self.id = id
        self.name = name
        self.email = email
        self.phone = phone
        self.passwordHash = passwordHash
        self.role = role
        self.isDisabled = false
    }
}
