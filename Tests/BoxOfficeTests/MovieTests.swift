import Foundation
import Testing
import VaporTesting
@testable import BoxOffice

@Suite("Movies")
struct MovieTests {
    static func movieBody(_ title: String = "Laapataa Ladies", overrides: [String: AnyJSON] = [:]) -> [String: AnyJSON]
    {
        var body: [String: AnyJSON] = [
            "title": .string(title), "description": .string("Two brides swapped on a train."),
            "duration_minutes": .int(124), "genres": .strings(["Comedy", "Drama"]),
            "languages": .strings(["Hindi"]), "formats": .strings(["2D"]), "release_date": .string("2024-03-01"),
            "rating": .double(8.4), "certificate": .string("ua 13+"),
            "cast": .array([.object(["name": .string("Nitanshi Goel"), "role": .string("Phool")])]),
        ]
        for (key, value) in overrides { body[key] = value }
        return body
    }

    @discardableResult
    static func create(_ t: TestApp, _ admin: TestApp.Account, _ body: [String: AnyJSON]) async throws -> MovieResponse
    {
        let response = try await t.request(.POST, "/movies", json: body, token: admin.accessToken)
        #expect(response.status == .created, "\(response.body.string)")
        return try response.content.decode(MovieResponse.self)
    }

    @Test func adminCreatesAndAnyoneReads() async throws {
        try await withTestApp { t in
            let admin = try await t.admin()
            let movie = try await Self.create(t, admin, Self.movieBody())
            #expect(movie.certificate == "UA13+")
            #expect(movie.genres == ["Comedy", "Drama"] && movie.isActive)
            #expect(movie.cast == [Credit(name: "Nitanshi Goel", role: "Phool")])

            let read = try await t.request(.GET, "/movies/\(movie.id)")
            #expect(read.status == .ok)
            #expect(read.body.string.contains(#""duration_minutes":124"#))
            #expect(read.body.string.contains(#""release_date":"2024-03-01""#))
            #expect(try await t.request(.GET, "/movies/\(UUID())").status == .notFound)
            #expect(try await t.request(.GET, "/movies/not-a-uuid").status == .notFound)
        }
    }

    @Test func writesAreAdminOnly() async throws {
        try await withTestApp { t in
            let user = try await t.customer()
            let id = try await t.makeMovie()
            #expect(
                try await t.request(.POST, "/movies", json: Self.movieBody(), token: user.accessToken).status
                    == .forbidden)
            #expect(try await t.request(.POST, "/movies", json: Self.movieBody()).status == .unauthorized)
            #expect(
                try await t.request(.PATCH, "/movies/\(id)", json: ["title": "X"], token: user.accessToken).status
                    == .forbidden)
            #expect(
                try await t.request(.PUT, "/movies/\(id)", json: Self.movieBody(), token: user.accessToken).status
                    == .forbidden)
            #expect(try await t.request(.DELETE, "/movies/\(id)", token: user.accessToken).status == .forbidden)
        }
    }

    @Test func invalidFieldsAre422NamingEachField() async throws {
        try await withTestApp { t in
            let admin = try await t.admin()
            let body = Self.movieBody(
                " ",
                overrides: [
                    "duration_minutes": .int(0), "release_date": .string("2026-02-30"), "rating": .double(10.5),
                    "certificate": .string("PG-13"), "genres": .strings(["Drama", " "]),
                    "poster_url": .string("javascript:alert(1)"),
                ])
            let response = try await t.request(.POST, "/movies", json: body, token: admin.accessToken)
            #expect(response.status == .unprocessableEntity)
            #expect(response.problem?.code == "validation_failed")
            let fields = Set(response.problem?.errors?.map(\.field) ?? [])
            #expect(
                fields == [
                    "title", "duration_minutes", "release_date", "rating", "certificate", "genres[1]", "poster_url",
                ])

            let missing = try await t.request(
                .POST, "/movies", json: ["title": "No duration"], token: admin.accessToken)
            #expect(missing.status == .unprocessableEntity)
            #expect(missing.problem?.errors?.map(\.field) == ["duration_minutes"])
        }
    }

    @Test func listFiltersSortsAndPages() async throws {
        try await withTestApp { t in
            let admin = try await t.admin()
            try await Self.create(
                t, admin,
                Self.movieBody(
                    "Kalki 2898 AD",
                    overrides: [
                        "genres": .strings(["Sci-Fi", "Action"]), "languages": .strings(["Telugu", "Hindi"]),
                        "formats": .strings(["IMAX", "3D"]), "release_date": .string("2024-06-27"),
                        "rating": .double(7.1),
                    ]))
            try await Self.create(
                t, admin,
                Self.movieBody(
                    "Stree 2",
                    overrides: [
                        "genres": .strings(["Horror", "Comedy"]), "release_date": .string("2024-08-15"),
                        "rating": .double(7.5),
                    ]))
            try await Self.create(
                t, admin,
                Self.movieBody(
                    "100% Love",
                    overrides: [
                        "release_date": .string("2011-05-06"), "rating": .null, "is_active": .bool(false),
                    ]))
            try await Self.create(
                t, admin, Self.movieBody("Unreleased", overrides: ["release_date": .null, "rating": .null]))

            func titles(_ query: String) async throws -> [String] {
                let response = try await t.request(.GET, "/movies?\(query)")
                #expect(response.status == .ok, "\(query): \(response.body.string)")
                return try response.content.decode(Page<MovieResponse>.self).items.map(\.title)
            }
            #expect(try await titles("") == ["100% Love", "Kalki 2898 AD", "Stree 2", "Unreleased"])
            #expect(try await titles("q=STREE") == ["Stree 2"])
            #expect(try await titles("q=%25") == ["100% Love"])  // % is matched as itself
            #expect(try await titles("genre=comedy") == ["100% Love", "Stree 2", "Unreleased"])
            #expect(try await titles("genre=com").isEmpty)  // a whole genre, not a fragment
            #expect(try await titles("language=telugu&format=imax") == ["Kalki 2898 AD"])
            #expect(try await titles("is_active=false") == ["100% Love"])
            #expect(try await titles("released_from=2024-01-01&released_to=2024-07-31") == ["Kalki 2898 AD"])
            #expect(
                try await titles("sort=rating&order=desc") == ["Stree 2", "Kalki 2898 AD", "100% Love", "Unreleased"])
            #expect(try await titles("sort=rating") == ["Kalki 2898 AD", "Stree 2", "100% Love", "Unreleased"])
            #expect(
                try await titles("sort=release_date&order=desc") == [
                    "Stree 2", "Kalki 2898 AD", "100% Love", "Unreleased",
                ])

            let page = try await t.request(.GET, "/movies?limit=2&offset=1").content.decode(Page<MovieResponse>.self)
            #expect(page.total == 4 && page.items.map(\.title) == ["Kalki 2898 AD", "Stree 2"])

            let bad = try await t.request(.GET, "/movies?sort=popularity&order=up&released_from=2024-13-01")
            #expect(bad.status == .unprocessableEntity)
            #expect(Set(bad.problem?.errors?.map(\.field) ?? []) == ["sort", "order", "released_from"])
            #expect(try await t.request(.GET, "/movies?is_active=maybe").status == .badRequest)
        }
    }

    @Test func putReplacesWholeMovieAndPatchChangesOnlyWhatIsSent() async throws {
        try await withTestApp { t in
            let admin = try await t.admin()
            let movie = try await Self.create(t, admin, Self.movieBody())

            let patched = try await t.request(
                .PATCH, "/movies/\(movie.id)", json: ["title": "Lost Ladies", "is_active": false] as [String: AnyJSON],
                token: admin.accessToken)
            #expect(patched.status == .ok, "\(patched.body.string)")
            let afterPatch = try patched.content.decode(MovieResponse.self)
            #expect(afterPatch.title == "Lost Ladies" && !afterPatch.isActive)
            #expect(afterPatch.rating == 8.4 && afterPatch.genres == ["Comedy", "Drama"])
            let searched = try await t.request(.GET, "/movies?q=lost").content.decode(Page<MovieResponse>.self)
            #expect(searched.items.map(\.id) == [movie.id])

            let badPatch = try await t.request(
                .PATCH, "/movies/\(movie.id)", json: ["duration_minutes": 601], token: admin.accessToken)
            #expect(badPatch.status == .unprocessableEntity)
            #expect(badPatch.problem?.errors?.map(\.field) == ["duration_minutes"])

            let put = try await t.request(
                .PUT, "/movies/\(movie.id)", json: ["title": "Bare", "duration_minutes": 90] as [String: AnyJSON],
                token: admin.accessToken)
            #expect(put.status == .ok)
            let replaced = try put.content.decode(MovieResponse.self)
            #expect(replaced.title == "Bare" && replaced.durationMinutes == 90 && replaced.isActive)
            #expect(
                replaced.rating == nil && replaced.genres.isEmpty && replaced.cast.isEmpty
                    && replaced.releaseDate == nil)
            #expect(
                try await t.request(.PUT, "/movies/\(UUID())", json: Self.movieBody(), token: admin.accessToken).status
                    == .notFound)
        }
    }

    @Test func movieWithShowsCannotBeDeletedButOneWithoutCan() async throws {
        try await withTestApp { t in
            let admin = try await t.admin()
            let scheduled = try await t.makeMovie(title: "Scheduled")
            let screen = try await t.makeScreen(admin)
            let show = try await t.makeShow(admin, movie: scheduled, screen: screen.id)
            #expect(show.status == .created, "\(show.body.string)")

            let refused = try await t.request(.DELETE, "/movies/\(scheduled)", token: admin.accessToken)
            #expect(refused.status == .conflict)
            #expect(refused.problem?.code == "movie_has_shows")
            #expect(try await t.request(.GET, "/movies/\(scheduled)").status == .ok)

            let unscheduled = try await t.makeMovie(title: "Never shown")
            #expect(
                try await t.request(.DELETE, "/movies/\(unscheduled)", token: admin.accessToken).status == .noContent)
            #expect(try await t.request(.GET, "/movies/\(unscheduled)").status == .notFound)
        }
    }
}

@Suite("Movie posters")
struct MoviePosterTests {
    static let png: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A] + Array(repeating: 0x42, count: 64)
    static let jpeg: [UInt8] = [0xFF, 0xD8, 0xFF, 0xE0] + Array(repeating: 0x11, count: 64)
    static let webp: [UInt8] =
        Array("RIFF".utf8) + [0x24, 0, 0, 0] + Array("WEBPVP8 ".utf8) + Array(repeating: 7, count: 32)

    /// Sends `bytes` as the `file` part of a multipart body.
    static func upload(
        _ t: TestApp, _ movie: UUID, _ bytes: [UInt8], filename: String = "poster.png", partType: String = "image/png",
        token: String?, live: Bool = false
    ) async throws -> TestingHTTPResponse {
        let boundary = "----boxoffice-test-boundary"
        var body = ByteBuffer()
        body.writeString("--\(boundary)\r\nContent-Disposition: form-data; name=\"file\"; filename=\"\(filename)\"\r\n")
        body.writeString("Content-Type: \(partType)\r\n\r\n")
        body.writeBytes(bytes)
        body.writeString("\r\n--\(boundary)--\r\n")
        var headers: HTTPHeaders = ["Content-Type": "multipart/form-data; boundary=\(boundary)"]
        if let token { headers.add(name: .authorization, value: "Bearer \(token)") }
        let tester = try t.app.testing(method: live ? .running(hostname: "127.0.0.1", port: 0) : .inMemory)
        return try await tester.sendRequest(.POST, "/movies/\(movie)/poster", headers: headers, body: body)
    }

    @Test func imageIsStoredUnderAGeneratedNameAndServed() async throws {
        try await withTestApp { t in
            let admin = try await t.admin()
            let movie = try await t.makeMovie()
            for (bytes, ext) in [(Self.png, "png"), (Self.jpeg, "jpg"), (Self.webp, "webp")] {
                // The client's name and declared type are ignored: only the content decides.
                let response = try await Self.upload(
                    t, movie, bytes, filename: "../../etc/evil.txt",
                    partType: "text/plain", token: admin.accessToken)
                #expect(response.status == .ok, "\(response.body.string)")
                let url = try #require(try response.content.decode(MovieResponse.self).posterUrl)
                let name = try #require(PosterStore.storedName(fromURL: url))
                #expect(name.hasSuffix("." + ext))
                #expect(FileManager.default.fileExists(atPath: t.config.uploadsDirectory + "/" + name))

                let served = try await t.request(.GET, url)
                #expect(served.status == .ok)
                #expect(Array(served.body.readableBytesView) == bytes)
                #expect(served.headers.contentType?.subType == (ext == "jpg" ? "jpeg" : ext))
                #expect(served.headers.first(name: "X-Content-Type-Options") == "nosniff")
            }
        }
    }

    @Test func replacingAPosterRemovesTheOldFile() async throws {
        try await withTestApp { t in
            let admin = try await t.admin()
            let movie = try await t.makeMovie()
            let first = try await Self.upload(t, movie, Self.png, token: admin.accessToken)
            let oldURL = try #require(try first.content.decode(MovieResponse.self).posterUrl)
            let second = try await Self.upload(t, movie, Self.jpeg, token: admin.accessToken)
            let newURL = try #require(try second.content.decode(MovieResponse.self).posterUrl)
            #expect(
                try await t.request(.GET, "/movies/\(movie)").content.decode(MovieResponse.self).posterUrl == newURL)
            #expect(try await t.request(.GET, oldURL).status == .notFound)
        }
    }

    @Test func nonImagesAre415AndLargeFilesAre413() async throws {
        try await withTestApp { t in
            let admin = try await t.admin()
            let movie = try await t.makeMovie()
            let text = try await Self.upload(t, movie, Array("hello, not an image".utf8), token: admin.accessToken)
            #expect(text.status == .unsupportedMediaType)
            #expect(text.problem?.code == "unsupported_media_type")
            let gif = try await Self.upload(
                t, movie, Array("GIF89a".utf8) + [0, 1, 2, 3], filename: "a.gif",
                partType: "image/gif", token: admin.accessToken)
            #expect(gif.status == .unsupportedMediaType)
            let json = try await t.request(
                .POST, "/movies/\(movie)/poster", json: ["file": "x"], token: admin.accessToken)
            #expect(json.status == .unsupportedMediaType)

            let tooBig = Self.png + Array(repeating: 0, count: PosterStore.maxBytes)
            let big = try await Self.upload(t, movie, tooBig, token: admin.accessToken)
            #expect(big.status == .payloadTooLarge)
            #expect(big.problem?.code == "payload_too_large")
            // Beyond the route's body limit the server stops reading at once.
            let huge = try await Self.upload(t, movie, tooBig + tooBig, token: admin.accessToken, live: true)
            #expect(huge.status == .payloadTooLarge)

            #expect(try await t.request(.GET, "/movies/\(movie)").content.decode(MovieResponse.self).posterUrl == nil)
        }
    }

    @Test func uploadNeedsAnAdminAndAKnownMovie() async throws {
        try await withTestApp { t in
            let admin = try await t.admin()
            let user = try await t.customer()
            let movie = try await t.makeMovie()
            #expect(try await Self.upload(t, movie, Self.png, token: user.accessToken).status == .forbidden)
            #expect(try await Self.upload(t, movie, Self.png, token: nil).status == .unauthorized)
            #expect(try await Self.upload(t, UUID(), Self.png, token: admin.accessToken).status == .notFound)
        }
    }

    @Test func onlyGeneratedNamesAreServed() async throws {
        try await withTestApp { t in
            try FileManager.default.createDirectory(
                atPath: t.config.uploadsDirectory, withIntermediateDirectories: true)
            let planted = t.config.uploadsDirectory + "/notes.txt"
            try Data("secret".utf8).write(to: URL(fileURLWithPath: planted))
            for path in [
                "/static/uploads/notes.txt", "/static/uploads/../uploads/notes.txt",
                "/static/uploads/%2e%2e/%2e%2e/etc/passwd", "/static/uploads/\(UUID().uuidString.lowercased()).png",
            ] {
                #expect(try await t.request(.GET, path).status == .notFound, "\(path)")
            }
        }
    }
}

/// A JSON value for request bodies that mix types.
enum AnyJSON: Encodable, Sendable, ExpressibleByStringLiteral, ExpressibleByIntegerLiteral, ExpressibleByBooleanLiteral
{
    case string(String)
    case int(Int)
    case double(Double)
    case bool(Bool)
    case array([AnyJSON])
    case object([String: AnyJSON])
    case null

    init(stringLiteral value: String) { self = .string(value) }
    init(integerLiteral value: Int) { self = .int(value) }
    init(booleanLiteral value: Bool) { self = .bool(value) }

    static func strings(_ values: [String]) -> AnyJSON { .array(values.map(AnyJSON.string)) }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .string(let value): try container.encode(value)
        case .int(let value): try container.encode(value)
        case .double(let value): try container.encode(value)
        case .bool(let value): try container.encode(value)
        case .array(let value): try container.encode(value)
        case .object(let value): try container.encode(value)
        case .null: try container.encodeNil()
        }
    }
}
