import Fluent
import Rules
import Vapor

/// Waiting rooms in front of busy shows (issue 30): the settings an admin gives a show, the queue customers join
/// (`WaitingQueueStore`: Redis sorted sets shared by every instance, or in process), and the admission that lets an
/// admitted customer hold seats. Places and pace are the pure `AdmissionSchedule`; nothing about a place is stored
/// but its score, so every instance answers the same position and admission for it.
struct WaitingRoomService: Sendable {
    /// The longest a waiting place is told to wait before asking again.
    static let maxPollSeconds = 60

    let store: any WaitingQueueStore
    let snapshots: SeatMapSnapshots
    let tokens: AdmissionToken
    let clock: any AppClock

    // MARK: - Admin

    func set(_ request: WaitingRoomRequest, for showID: UUID, on db: any Database) async throws -> WaitingRoom {
        guard let show = try await Show.find(showID, on: db) else { throw APIError.notFound("Show") }
        var checks = FieldChecks()
        checks.require(request.opensAt <= request.onSaleAt, "opens_at", "must not be after on_sale_at")
        checks.require(request.onSaleAt < show.startsAt, "on_sale_at", "must be before the show starts")
        checks.require((1...100_000).contains(request.admitPerMinute), "admit_per_minute", "must be from 1 to 100000")
        checks.require((1...120).contains(request.admissionMinutes), "admission_minutes", "must be from 1 to 120")
        try checks.throwIfAny()
        let room = try await WaitingRoom.query(on: db).filter(\.$show.$id == showID).first() ?? WaitingRoom()
        room.$show.id = showID
        room.opensAt = request.opensAt
        room.onSaleAt = request.onSaleAt
        room.admitPerMinute = request.admitPerMinute
        room.admissionMinutes = request.admissionMinutes
        room.updatedAt = clock.now()
        try await room.save(on: db)
        return room
    }

    /// The same room for every scheduled show of a movie on a cinema date, all or none (each show's start is checked).
    func set(_ request: MovieWaitingRoomRequest, forMovie movieID: UUID, on db: any Database) async throws
        -> [WaitingRoom]
    {
        guard try await Movie.find(movieID, on: db) != nil else { throw APIError.notFound("Movie") }
        let shows = try await Show.query(on: db).filter(\.$movie.$id == movieID)
            .filter(\.$showDate == request.showDate).filter(\.$status == .scheduled).sort(\.$startsAt).all()
        guard !shows.isEmpty else {
            throw APIError.validation(field: "show_date", "the movie has no scheduled show on that date")
        }
        return try await db.transaction { tx in
            var rooms: [WaitingRoom] = []
            for show in shows { rooms.append(try await set(request.room, for: try show.requireID(), on: tx)) }
            return rooms
        }
    }

    func room(_ showID: UUID, on db: any Database) async throws -> WaitingRoom {
        guard let room = try await WaitingRoom.query(on: db).filter(\.$show.$id == showID).first() else {
            throw APIError.notFound("Waiting room")
        }
        return room
    }

    func remove(_ showID: UUID, on db: any Database) async throws {
        try await room(showID, on: db).delete(on: db)
        try await store.drop(show: showID)
    }

    func response(_ room: WaitingRoom, on db: any Database) async throws -> WaitingRoomResponse {
        let showID = room.$show.id
        let length = try await store.length(show: showID)
        let now = clock.now()
        let startsAt = try await Show.find(showID, on: db)?.startsAt ?? now
        return WaitingRoomResponse(
            showId: showID, opensAt: room.opensAt, onSaleAt: room.onSaleAt, admitPerMinute: room.admitPerMinute,
            admissionMinutes: room.admissionMinutes, queueLength: length,
            admitted: min(length, room.settings.schedule.admitted(at: now)),
            isActive: room.settings.isActive(at: now, showStartsAt: startsAt))
    }

    // MARK: - Customers

    /// Takes the caller's place in the show's queue, or returns the one they have.
    func join(_ showID: UUID, for caller: AuthenticatedUser, on db: any Database) async throws -> QueueEntryResponse {
        let part = try await snapshots.showPart(showID, on: db)
        guard let room = part.room else { throw APIError.notFound("Waiting room") }
        let now = clock.now()
        guard now >= room.opensAt else {
            throw APIError.conflict(.queueNotOpen, "The queue for this show opens at \(Self.iso(room.opensAt)).")
        }
        guard part.facts.status == .scheduled, now < part.facts.startsAt else { throw HoldError.showNotOnSale }
        var random = SystemRandomNumberGenerator()
        let place = try await store.join(
            show: showID, user: caller.id, entry: UUID(),
            score: room.schedule.score(joinedAt: now, using: &random))
        return entry(
            place, show: showID, user: caller.id, room: room, now: now,
            soldOut: try await isSoldOut(part, on: db))
    }

    /// The caller's place by its entry id; anyone else's is a 404.
    func entry(_ entryID: UUID, for caller: AuthenticatedUser, on db: any Database) async throws -> QueueEntryResponse {
        guard let found = try await store.place(of: entryID), found.user == caller.id else {
            throw APIError.notFound("Queue entry")
        }
        let part = try await snapshots.showPart(found.show, on: db)
        guard let room = part.room else { throw APIError.notFound("Queue entry") }
        return entry(
            found.place, show: found.show, user: caller.id, room: room, now: clock.now(),
            soldOut: try await isSoldOut(part, on: db))
    }

    /// Every sellable seat is in a pending or confirmed booking (the seat map's cached booked part): the queue has
    /// nothing left to admit anyone to. Held seats may still come back, so it is not sold out while any is only held.
    private func isSoldOut(_ part: SeatMapSnapshots.ShowPart, on db: any Database) async throws -> Bool {
        try await snapshots.bookedOwners(part.facts.id, on: db).count >= part.sellable
    }

    /// `soldOut`: the places still waiting are told so (`sold_out`, nothing to poll for); an admitted place keeps its
    /// admission (a seat may come back while it lasts).
    private func entry(
        _ place: QueuePlace, show: UUID, user: UUID, room: WaitingRoomSettings, now: Date, soldOut: Bool
    ) -> QueueEntryResponse {
        var response = QueueEntryResponse(
            entryId: place.entryID, showId: show, state: .waiting, position: place.rank + 1, ahead: 0,
            queueLength: place.total, onSaleAt: room.onSaleAt, estimatedWaitSeconds: 0, pollAfterSeconds: 0)
        switch room.schedule.state(rank: place.rank, at: now) {
        case .waiting where soldOut:
            response.state = .soldOut
        case .waiting(let ahead, let admittedAt):
            let wait = Int(admittedAt.timeIntervalSince(now).rounded(.up))
            response.ahead = ahead
            response.estimatedWaitSeconds = wait
            // After the sale opens a place's admission time is fixed: ask again at that moment, or after a minute to
            // hear of a sell-out (before the sale, later joiners can still draw places ahead). A 10,000-strong queue
            // polled by place every second or two was 440 requests a second in the rush.
            response.pollAfterSeconds = min(Self.maxPollSeconds, max(1, wait))
        case .admitted(let until):
            response.state = .admitted
            response.admission = tokens.issue(show: show, user: user, expires: until)
            response.admissionExpiresAt = until
        case .expired:
            response.state = .expired
        }
        return response
    }

    /// For the hold path: refuses (403 `not_admitted`) a hold of a show whose room is active without this account's
    /// valid admission.
    func requireAdmission(_ admission: String?, part: SeatMapSnapshots.ShowPart, user: UUID, now: Date) throws {
        guard let room = part.room, room.isActive(at: now, showStartsAt: part.facts.startsAt) else { return }
        guard tokens.admits(admission, show: part.facts.id, user: user, at: now) else {
            throw APIError(
                .forbidden, code: .notAdmitted,
                detail: now < room.onSaleAt
                    ? "This show goes on sale at \(Self.iso(room.onSaleAt)); join its queue (POST /shows/{id}/queue)."
                    : "This show is sold through its waiting room: join the queue and hold seats once admitted.")
        }
    }

    private static func iso(_ date: Date) -> String {
        ISO8601DateFormatter().string(from: date)
    }
}
