import Vapor

/// `GET /shows/{id}/availability` and `GET /shows/{id}/best-available`: public, personalised when signed in.
struct SeatMapController: RouteCollection {
    let context: RouteContext
    let holds: HoldService
    let availability: AvailabilityService

    func boot(routes: any RoutesBuilder) throws {
        let shows = APIRoutes(builder: routes.grouped("shows"), access: .public, tag: "Seat map")
            .grouped(context.authenticator.allowingAnonymous(), access: .public)
        shows.on(
            .GET, ":id", "availability", summary: "Every seat of a show with its status; supports ETag/If-None-Match",
            response: SchemaRef.of(AvailabilityResponse.self).with(.of(ShowResponse.self)), use: availability)
        shows.on(
            .GET, ":id", "best-available", summary: "The best block of N adjacent free seats",
            response: .of(BestAvailableResponse.self),
            query: BestAvailableQuery.parameters, errors: [.conflict], use: bestAvailable)
    }

    @Sendable func availability(req: Request) async throws -> Response {
        let map = try await availability.seatMap(
            showID: try req.requireID("id", "Show"), caller: req.auth.get(AuthenticatedUser.self), on: req.db)
        let body = try JSONEncoder.api.encode(map)
        let etag = "\"\(ETag.fnv1a(body))\""
        var headers = HTTPHeaders()
        headers.replaceOrAdd(name: .eTag, value: etag)
        headers.replaceOrAdd(name: .cacheControl, value: "no-cache")
        if req.headers.first(name: .ifNoneMatch)?.split(separator: ",").map({ $0.trimmingCharacters(in: .whitespaces) })
            .contains(etag) == true
        {
            return Response(status: .notModified, headers: headers)
        }
        headers.contentType = .json
        return Response(status: .ok, headers: headers, body: .init(data: body))
    }

    @Sendable func bestAvailable(req: Request) async throws -> BestAvailableResponse {
        let showID = try req.requireID("id", "Show")
        let query = try req.query(BestAvailableQuery.self)
        let block = try await holds.bestBlock(
            showID: showID, count: query.count, categoryID: query.categoryID, accessible: query.accessible,
            for: req.auth.get(AuthenticatedUser.self), on: req.db)
        return BestAvailableResponse(
            showId: showID,
            seats: block.map {
                .init(
                    id: $0.id, label: $0.label, row: $0.row, column: $0.column, categoryId: $0.categoryId,
                    kind: $0.kind, status: "available")
            })
    }
}

/// A stable, cheap content hash for ETags (FNV-1a, 64 bit): the same body gives the same tag on every instance.
enum ETag {
    static func fnv1a(_ data: Data) -> String {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in data {
            hash ^= UInt64(byte)
            hash &*= 0x100_0000_01b3
        }
        return String(hash, radix: 16)
    }
}
