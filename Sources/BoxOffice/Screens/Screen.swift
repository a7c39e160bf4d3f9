import Fluent
import Foundation

final class Screen: Model, @unchecked Sendable {
    static let schema = "screens"

    @ID(key: .id) var id: UUID?
    @Field(key: "name") var name: String
    @Field(key: "screen_type") var screenType: String
    @Field(key: "is_available") var isAvailable: Bool
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?
    @Timestamp(key: "updated_at", on: .update) var updatedAt: Date?

    init() {}

    init(id: UUID? = nil, name: String, screenType: String, isAvailable: Bool = true) {
        self.id = id
        self.name = name
        self.screenType = screenType
        self.isAvailable = isAvailable
    }
}
