import Vapor

/// Waiting rooms: an admin puts a show behind one; customers join its queue and ask where they stand.
struct WaitingRoomController: RouteCollection {
    let context: RouteContext
    let rooms: WaitingRoomService

    func boot(routes: any RoutesBuilder) throws {
        let (_, user, admin) = context.routes(routes, "shows", tag: "Waiting room")
        admin.on(
            .PUT, ":id", "waiting-room", summary: "Put a show behind a waiting room (or change its settings)",
            body: .of(WaitingRoomRequest.self), response: .of(WaitingRoomResponse.self), maxBodySize: "4kb",
            use: set)
        admin.on(
            .GET, ":id", "waiting-room", summary: "A show's waiting room: settings, queue length, admitted so far",
            response: .of(WaitingRoomResponse.self), use: show)
        admin.on(
            .DELETE, ":id", "waiting-room", summary: "Remove a show's waiting room", status: .noContent, use: remove)
        let (_, _, movies) = context.routes(routes, "movies", tag: "Waiting room")
        movies.on(
            .PUT, ":id", "waiting-room",
            summary: "Put every scheduled show of a movie on a cinema date behind the same waiting room (all or none)",
            body: .of(MovieWaitingRoomRequest.self), response: .of(WaitingRoomList.self), maxBodySize: "4kb",
            use: setForMovie)
        user.on(
            .POST, ":id", "queue",
            summary: "Join a show's queue (once per account: asking again returns the same place)",
            response: .of(QueueEntryResponse.self), errors: [.conflict, .notFound], use: join)
        let (_, queue, _) = context.routes(routes, "queue", tag: "Waiting room")
        queue.on(.GET, ":id", summary: "Your place in a queue", response: .of(QueueEntryResponse.self), use: entry)
    }

    @Sendable func set(req: Request) async throws -> WaitingRoomResponse {
        let room = try await rooms.set(
            try req.content.decode(WaitingRoomRequest.self), for: try req.requireID("id", "Show"), on: req.db)
        return try await rooms.response(room, on: req.db)
    }

    @Sendable func setForMovie(req: Request) async throws -> WaitingRoomList {
        let rooms = try await rooms.set(
            try req.content.decode(MovieWaitingRoomRequest.self), forMovie: try req.requireID("id", "Movie"),
            on: req.db)
        var answers: [WaitingRoomResponse] = []
        for room in rooms { answers.append(try await self.rooms.response(room, on: req.db)) }
        return WaitingRoomList(rooms: answers)
    }

    @Sendable func show(req: Request) async throws -> WaitingRoomResponse {
        try await rooms.response(try await rooms.room(try req.requireID("id", "Show"), on: req.db), on: req.db)
    }

    @Sendable func remove(req: Request) async throws -> HTTPStatus {
        try await rooms.remove(try req.requireID("id", "Show"), on: req.db)
        return .noContent
    }

    @Sendable func join(req: Request) async throws -> QueueEntryResponse {
        try await rooms.join(try req.requireID("id", "Show"), for: try req.currentUser, on: req.db)
    }

    @Sendable func entry(req: Request) async throws -> QueueEntryResponse {
        try await rooms.entry(try req.requireID("id", "Queue entry"), for: try req.currentUser, on: req.db)
    }
}
