import OpenAPIKit

extension AuditLogResponse: APISchema {
    static var apiSchema: JSONSchema {
        .object(properties: [
            "id": .uuid,
            "actor_id": .string(
                format: .uuid, required: false, nullable: true, description: "The admin; absent for the system"),
            "actor_email": .string(required: false, nullable: true, description: "The actor's email at the time"),
            "action": .string(description: "Stable <entity>.<verb>, e.g. movie.create, show.cancel, payment.refund"),
            "entity_type": .string,
            "entity_id": .string(required: false, nullable: true),
            "summary": .object(
                required: false, nullable: true,
                description: "{before, after}: the resource as read before the change and as answered after it; "
                    + "secrets removed, at most 4 KB (truncated: true when shortened)"),
            "request_id": .string(required: false, nullable: true, description: "The X-Request-ID of the change"),
            "created_at": .timestamp,
        ])
    }
}
