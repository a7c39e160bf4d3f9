import OpenAPIKit

extension JSONSchema {
    static func credits(required: Bool = true) -> JSONSchema {
        .array(
            required: required,
            items: .object(properties: [
                "name": .string(minLength: 1, maxLength: 100),
                "role": .string(required: false, maxLength: 100),
            ]))
    }

    static func labels(required: Bool = true, _ description: String) -> JSONSchema {
        .array(required: required, description: description, items: .string(minLength: 1, maxLength: 50))
    }

    static let certificate = JSONSchema.string(
        required: false, description: "CBFC certificate; spaces are ignored (UA 13+ is UA13+)",
        allowedValues: MovieCertificate.all.map { .init($0) })

    static func imageURL(required: Bool = false) -> JSONSchema {
        .string(required: required, description: "http(s) URL or /static/uploads/… path", maxLength: 500)
    }
}

extension CreateMovieRequest: APISchema {
    static var apiSchema: JSONSchema {
        .object(properties: [
            "title": .string(minLength: 1, maxLength: 200),
            "description": .string(required: false, maxLength: 5000),
            "duration_minutes": .integer(maximum: (600, exclusive: false), minimum: (1, exclusive: false)),
            "genres": .labels(required: false, "e.g. Drama, Action"),
            "languages": .labels(required: false, "e.g. Hindi, English"),
            "formats": .labels(required: false, "e.g. 2D, 3D, IMAX"),
            "release_date": .string(format: .date, required: false),
            "rating": .number(required: false, maximum: (10, exclusive: false), minimum: (0, exclusive: false)),
            "certificate": .certificate,
            "poster_url": .imageURL(),
            "background_image_url": .imageURL(),
            "cast": .credits(required: false),
            "crew": .credits(required: false),
            "is_active": .boolean(required: false, description: "Default true"),
        ])
    }
}

extension UpdateMovieRequest: APISchema {
    static var apiSchema: JSONSchema {
        .object(
            description: "Only the fields sent change",
            properties: [
                "title": .string(required: false, minLength: 1, maxLength: 200),
                "description": .string(required: false, maxLength: 5000),
                "duration_minutes": .integer(
                    required: false, maximum: (600, exclusive: false), minimum: (1, exclusive: false)),
                "genres": .labels(required: false, "Replaces the list"),
                "languages": .labels(required: false, "Replaces the list"),
                "formats": .labels(required: false, "Replaces the list"),
                "release_date": .string(format: .date, required: false),
                "rating": .number(required: false, maximum: (10, exclusive: false), minimum: (0, exclusive: false)),
                "certificate": .certificate,
                "poster_url": .imageURL(),
                "background_image_url": .imageURL(),
                "cast": .credits(required: false),
                "crew": .credits(required: false),
                "is_active": .boolean(required: false),
            ])
    }
}

extension MovieResponse: APISchema {
    static var apiSchema: JSONSchema {
        .object(properties: [
            "id": .uuid,
            "title": .string,
            "description": .string,
            "duration_minutes": .integer,
            "genres": .array(items: .string),
            "languages": .array(items: .string),
            "formats": .array(items: .string),
            "release_date": .string(format: .date, required: false, nullable: true),
            "rating": .number(required: false, nullable: true),
            "certificate": .string(required: false, nullable: true),
            "poster_url": .string(required: false, nullable: true),
            "background_image_url": .string(required: false, nullable: true),
            "cast": .credits(),
            "crew": .credits(),
            "is_active": .boolean,
            "created_at": .nullableTimestamp,
            "updated_at": .nullableTimestamp,
        ])
    }
}

extension PosterUpload: APISchema {
    static var apiSchema: JSONSchema {
        .object(properties: [
            "file": .string(
                description: "The image; its type is read from its content, not its name",
                contentMediaType: .init(.anyImage), contentEncoding: .binary)
        ])
    }
}
