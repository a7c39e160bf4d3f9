import Fluent
import Foundation
import Rules

/// A show's waiting room, as an admin set it: from `opens_at` customers may join the queue, from `on_sale_at` they are
/// admitted `admit_per_minute` at a time, each for `admission_minutes`. While the room is active (from `opens_at`
/// until the show starts) only admitted customers may hold its seats.
final class WaitingRoom: Model, @unchecked Sendable {
    static let schema = "waiting_rooms"

    @ID(key: .id) var id: UUID?
    @Parent(key: "show_id") var show: Show
    @Field(key: "opens_at") var opensAt: Date
    @Field(key: "on_sale_at") var onSaleAt: Date
    @Field(key: "admit_per_minute") var admitPerMinute: Int
    @Field(key: "admission_minutes") var admissionMinutes: Int
    @Field(key: "updated_at") var updatedAt: Date

    init() {}

    var settings: WaitingRoomSettings {
        WaitingRoomSettings(
            opensAt: opensAt, onSaleAt: onSaleAt, admitPerMinute: admitPerMinute, admissionMinutes: admissionMinutes)
    }
}

/// A room's settings as the hold path keeps them in the show's snapshot.
struct WaitingRoomSettings: Sendable, Equatable {
    var opensAt: Date
    var onSaleAt: Date
    var admitPerMinute: Int
    var admissionMinutes: Int

    var schedule: AdmissionSchedule {
        AdmissionSchedule(onSaleAt: onSaleAt, admitPerMinute: admitPerMinute, admissionSeconds: admissionMinutes * 60)
    }

    /// Active from `opensAt` until the show starts: holds need an admission then.
    func isActive(at now: Date, showStartsAt: Date) -> Bool {
        now >= opensAt && now < showStartsAt
    }
}
