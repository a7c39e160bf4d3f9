import OpenAPIKit

extension WaitingRoomRequest: APISchema {
    static var apiSchema: JSONSchema {
        .object(properties: [
            "opens_at": .string(format: .dateTime, description: "From here customers may join the queue"),
            "on_sale_at": .string(
                format: .dateTime,
                description: "Admission starts; who joined before gets a random place, who joins after queues in order"),
            "admit_per_minute": .integer(maximum: (100_000, exclusive: false), minimum: (1, exclusive: false)),
            "admission_minutes": .integer(
                description: "How long an admission lasts", maximum: (120, exclusive: false),
                minimum: (1, exclusive: false)),
        ])
    }
}

extension MovieWaitingRoomRequest: APISchema {
    static var apiSchema: JSONSchema {
        .object(properties: [
            "show_date": .string(description: "Cinema-local date, YYYY-MM-DD", pattern: "^[0-9]{4}-[0-9]{2}-[0-9]{2}$"),
            "opens_at": .timestamp, "on_sale_at": .timestamp,
            "admit_per_minute": .integer(maximum: (100_000, exclusive: false), minimum: (1, exclusive: false)),
            "admission_minutes": .integer(maximum: (120, exclusive: false), minimum: (1, exclusive: false)),
        ])
    }
}

extension WaitingRoomList: APISchema {
    static var apiSchema: JSONSchema {
        .object(properties: ["rooms": .array(items: .reference(.component(named: "WaitingRoomResponse")))])
    }
}

extension WaitingRoomResponse: APISchema {
    static var apiSchema: JSONSchema {
        .object(properties: [
            "show_id": .uuid, "opens_at": .timestamp, "on_sale_at": .timestamp, "admit_per_minute": .integer,
            "admission_minutes": .integer, "queue_length": .integer,
            "admitted": .integer(description: "Places admitted so far (the schedule's count, at most the queue)"),
            "is_active": .boolean(description: "From opens_at until the show starts: holds need an admission"),
        ])
    }
}

extension QueueEntryResponse: APISchema {
    static var apiSchema: JSONSchema {
        .object(properties: [
            "entry_id": .uuid, "show_id": .uuid,
            "state": .enumeration(QueueEntryResponse.State.self),
            "position": .integer(description: "1 is the front"),
            "ahead": .integer(description: "Places before this one not yet admitted"),
            "queue_length": .integer, "on_sale_at": .timestamp,
            "estimated_wait_seconds": .integer, "poll_after_seconds": .integer,
            "admission": .string(
                required: false, nullable: true,
                description: "While admitted: send it as `admission` with POST /seatlocks for this show"),
            "admission_expires_at": .string(format: .dateTime, required: false, nullable: true),
        ])
    }
}
