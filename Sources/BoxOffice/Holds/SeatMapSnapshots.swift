import Fluent
import NIOConcurrencyHelpers
import Pricing
import Rules
import Vapor

/// What the hold path needs to know about a show, from the snapshot instead of a query.
struct ShowFacts: Sendable {
    var id: UUID
    var screenID: UUID
    var status: ShowStatus
    var startsAt: Date
}

/// The parts of a seat map that change rarely, kept per show, and the booked seats of a show, kept per show until a
/// booking of it changes. A seat map is then the snapshot plus the live holds, written as bytes.
///
/// - The show part (show, movie, screen, categories and prices as JSON, the layout with each seat's JSON) is keyed by
///   the catalog version; it is rebuilt when the show starts (its `is_on_sale` turns false then) and at least
///   every `showLifetime`.
/// - The booked part (seat → owner) is keyed by the show's seat version, which the delivery of every booking,
///   expiry, cancellation and confirmation event moves (`SeatChangeEventBus`), and lapses when the first pending
///   booking in it reaches the end of its payment window.
/// - Holds are read from the hold store on every request: they change most and the store answers from memory.
final class SeatMapSnapshots: Sendable {
    struct ShowPart: Sendable {
        var facts: ShowFacts
        var layout: LayoutCache.Layout
        /// `{"max_seats_per_customer":…,"waiting_room":…,"categories":`
        var headPrefix: [UInt8]
        /// `headPrefix` + the categories at their base prices + `,"counts":`
        var head: [UInt8]
        /// The screen's seat categories with their base prices at this show.
        var categories: [CategoryPricing]
        /// The show's demand-pricing rules (its own, else the chain's), and where they came from.
        var rules: DemandPricingRules?
        var rulesSource: PricingRulesSource
        /// Seats that can be sold (neither blocked nor out of service): occupancy's denominator.
        var sellable: Int
        /// The show's waiting room, if it has one: while it is active only admitted customers hold seats.
        var room: WaitingRoomSettings?
        /// `],"show":{…}}`
        var tail: [UInt8]
        /// A hash of every byte above and of the layout's seat JSON: with the seats' states (and demand-priced
        /// categories) it names a seat map's bytes, so the ETag need not hash the 150 KB of a 1,000-seat map.
        var fingerprint: UInt64 = 0

        /// Whether the JSON's `is_on_sale` still holds at `now` (it was written for the time it was built).
        func onSaleUnchanged(at now: Date) -> Bool {
            facts.status != .scheduled || now < facts.startsAt || !writtenOnSale
        }

        var writtenOnSale: Bool
    }

    struct BookedPart: Sendable {
        /// Seat → the user whose pending or confirmed booking owns it.
        var owners: [UUID: UUID]
        /// When the earliest pending booking among them runs out of time (by the app clock).
        var validUntil: Date?
    }

    let layouts: LayoutCache
    private let freshness: Freshness
    private let clock: any AppClock
    private let shows: VersionedCache<UUID, ShowPart>
    private let booked: VersionedCache<UUID, BookedPart>
    /// The last seat map written of each show (bytes are shared, not copied), for the next caller who sees the same.
    private let lastBodies = NIOLockedValueBox<[UUID: (etag: String, body: ByteBuffer)]>([:])
    private static let lastBodiesCapacity = 64
    /// `MAX_SEATS_PER_USER_PER_SHOW`, told to seat maps so they stop a choice past it before Hold.
    let maxSeatsPerCustomer: Int

    init(
        layouts: LayoutCache, freshness: Freshness, clock: any AppClock, showLifetime: Duration = .seconds(30),
        bookedLifetime: Duration = .seconds(5), capacity: Int = 512, maxSeatsPerCustomer: Int = 10
    ) {
        self.maxSeatsPerCustomer = maxSeatsPerCustomer
        self.layouts = layouts
        self.freshness = freshness
        self.clock = clock
        self.shows = VersionedCache(lifetime: showLifetime, capacity: capacity)
        self.booked = VersionedCache(lifetime: bookedLifetime, capacity: capacity)
    }

    // MARK: - Parts

    /// The show part; a 404 when there is no such show.
    func showPart(_ showID: UUID, on db: any Database) async throws -> ShowPart {
        let now = clock.now()
        return try await shows.value(
            showID, version: freshness.version(.catalog), isCurrent: { $0.onSaleUnchanged(at: now) }
        ) { [self] in
            try await loadShowPart(showID, on: db)
        }
    }

    private func loadShowPart(_ showID: UUID, on db: any Database) async throws -> ShowPart {
        guard let show = try await Show.query(on: db).filter(\.$id == showID).with(\.$movie).with(\.$screen).first()
        else {
            throw APIError.notFound("Show")
        }
        let screenID = show.$screen.id
        let layout = try await layouts.layout(of: screenID, on: db)
        let categories = try await SeatCategory.query(on: db).filter(\.$screen.$id == screenID)
            .sort(\.$displayOrder).sort(\.$name).all()
        let prices = try await ShowCategoryPrice.query(on: db).filter(\.$show.$id == showID).all()
        let priceByCategory = Dictionary(
            prices.map { ($0.$category.id, $0.priceMinor) }, uniquingKeysWith: { first, _ in first })
        let pricing = try categories.map {
            CategoryPricing(
                id: try $0.requireID(), name: $0.name, displayOrder: $0.displayOrder,
                basePriceMinor: priceByCategory[try $0.requireID()])
        }
        let (rules, source) = try await Self.rules(of: showID, on: db)
        let encoder = JSONEncoder.api
        let categoryJSON = try encoder.encode(
            pricing.map {
                AvailabilityResponse.Category(
                    id: $0.id, name: $0.name, displayOrder: $0.displayOrder, priceMinor: $0.basePriceMinor,
                    basePriceMinor: $0.basePriceMinor)
            })
        let response = try ShowResponse(show, movie: show.movie, screen: show.screen, now: clock.now())
        let showJSON = try encoder.encode(response)
        let room = try await WaitingRoom.query(on: db).filter(\.$show.$id == showID).first()?.settings
        let roomJSON = try encoder.encode(
            room.map { AvailabilityResponse.WaitingRoomSummary(opensAt: $0.opensAt, onSaleAt: $0.onSaleAt) })
        let headPrefix =
            Array("{\"max_seats_per_customer\":\(maxSeatsPerCustomer),\"waiting_room\":".utf8) + Array(roomJSON)
            + Array(",\"categories\":".utf8)
        var part = ShowPart(
            facts: ShowFacts(id: showID, screenID: screenID, status: show.status, startsAt: show.startsAt),
            layout: layout,
            headPrefix: headPrefix,
            head: headPrefix + Array(categoryJSON) + Array(",\"counts\":".utf8),
            categories: pricing, rules: rules, rulesSource: source,
            sellable: layout.seats.reduce(0) { $0 + ($1.isSellable ? 1 : 0) },
            room: room,
            tail: Array("],\"show\":".utf8) + Array(showJSON) + [UInt8(ascii: "}")],
            writtenOnSale: response.isOnSale)
        part.fingerprint = Self.fingerprint(of: part)
        return part
    }

    private static func fingerprint(of part: ShowPart) -> UInt64 {
        // `head` begins with `headPrefix`, so both are covered.
        var hash = ETag.hash(part.head)
        hash = ETag.hash(part.tail, seed: hash)
        for index in part.layout.seats.indices {
            hash = ETag.hash(part.layout.jsonBeforeStatus[index], seed: hash)
            hash = ETag.hash(part.layout.jsonAfterStatus[index], seed: hash)
        }
        return hash
    }

    /// The show's own demand-pricing rules, else the chain's, else none.
    static func rules(of showID: UUID, on db: any Database) async throws -> (DemandPricingRules?, PricingRulesSource) {
        let rows = try await PricingRuleSet.query(on: db)
            .filter(\.$scope ~~ [showID.uuidString, PricingRuleSet.chainScope]).all()
        if let own = rows.first(where: { $0.scope != PricingRuleSet.chainScope }) { return (try own.rules, .show) }
        if let chain = rows.first { return (try chain.rules, .chain) }
        return (nil, .none)
    }

    /// Seat → owner for the show's pending (within their window) and confirmed bookings.
    func bookedOwners(_ showID: UUID, on db: any Database) async throws -> [UUID: UUID] {
        let appNow = clock.now()
        return try await booked.value(
            showID, version: freshness.version(.seats(showID)),
            isCurrent: { part in part.validUntil.map { appNow < $0 } ?? true }
        ) { [self] in
            try await loadBooked(showID, on: db)
        }.owners
    }

    private func loadBooked(_ showID: UUID, on db: any Database) async throws -> BookedPart {
        let booked = try await BookedSeats.owners(showID: showID, now: clock.now(), on: db)
        return BookedPart(owners: booked.owners, validUntil: booked.validUntil)
    }

    // MARK: - The seat map

    enum SeatState: UInt8 {
        case available, held, heldByYou, booked, unavailable

        var json: [UInt8] {
            switch self {
            case .available: Array("available".utf8)
            case .held: Array("held".utf8)
            case .heldByYou: Array("held_by_you".utf8)
            case .booked: Array("booked".utf8)
            case .unavailable: Array("unavailable".utf8)
            }
        }
    }

    private static let stateJSON = (0...4).map { SeatState(rawValue: UInt8($0))!.json }

    /// The seat map as JSON bytes for this caller, and its ETag.
    func seatMap(_ showID: UUID, caller: UUID?, holds: [SeatHold], on db: any Database) async throws -> (
        body: ByteBuffer, etag: String
    ) {
        let part = try await showPart(showID, on: db)
        let owners = try await bookedOwners(showID, on: db)
        let layout = part.layout
        var states = layout.seats.map { $0.isSellable ? SeatState.available : .unavailable }
        for seat in owners.keys {
            if let index = layout.position[seat], states[index] == .available { states[index] = .booked }
        }
        for hold in holds {
            let state: SeatState = hold.userId == caller ? .heldByYou : .held
            for seat in hold.seatIds {
                if let index = layout.position[seat], states[index] == .available { states[index] = state }
            }
        }
        var counts = [Int](repeating: 0, count: 5)
        for state in states { counts[Int(state.rawValue)] += 1 }
        // Demand moves the prices with every booking and hold: the categories are written for this moment.
        let categories = try part.rules.map {
            _ in try part.categoriesJSON(occupied: counts[1] + counts[2] + counts[3], at: clock.now())
        }

        // The bytes follow from the show part, the states and the categories, so their hash is the ETag; a rush asks
        // for the same map many times between two changes, and gets the bytes written for the first.
        var hash = states.withUnsafeBytes { ETag.hash($0, seed: part.fingerprint) }
        if let categories { hash = ETag.hash(categories, seed: hash) }
        let etag = "\"\(String(hash, radix: 16))\""
        if let last = lastBodies.withLockedValue({ $0[showID] }), last.etag == etag { return (last.body, etag) }

        var size = part.head.count + part.tail.count + 128
        for index in layout.seats.indices {
            size += layout.jsonBeforeStatus[index].count + layout.jsonAfterStatus[index].count + 12
        }
        var body = ByteBufferAllocator().buffer(capacity: size)
        if let categories {
            body.writeBytes(part.headPrefix)
            body.writeBytes(categories)
            body.writeString(",\"counts\":")
        } else {
            body.writeBytes(part.head)
        }
        body.writeString(
            "{\"available\":\(counts[0]),\"booked\":\(counts[3]),\"held\":\(counts[1]),"
                + "\"held_by_you\":\(counts[2]),\"unavailable\":\(counts[4])},\"seats\":[")
        for index in layout.seats.indices {
            if index > 0 { body.writeInteger(UInt8(ascii: ",")) }
            body.writeBytes(layout.jsonBeforeStatus[index])
            body.writeBytes(Self.stateJSON[Int(states[index].rawValue)])
            body.writeBytes(layout.jsonAfterStatus[index])
        }
        body.writeBytes(part.tail)
        lastBodies.withLockedValue { bodies in
            if bodies[showID] == nil && bodies.count >= Self.lastBodiesCapacity {
                bodies.removeAll(keepingCapacity: true)
            }
            bodies[showID] = (etag, body)
        }
        return (body, etag)
    }
}
