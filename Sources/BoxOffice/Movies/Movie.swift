import Fluent
import Foundation

/// One credit in a movie's cast or crew.
struct Credit: Codable, Sendable, Equatable {
    var name: String
    var role: String?
}

final class Movie: Model, @unchecked Sendable {
    static let schema = "movies"

    @ID(key: .id) var id: UUID?
    @Field(key: "title") var title: String
    /// Lower-cased title, for case-insensitive search on every database.
    @Field(key: "title_search") var titleSearch: String
    @Field(key: "description") var description: String
    @Field(key: "duration_minutes") var durationMinutes: Int
    @Field(key: "genres") var genres: [String]
    @Field(key: "languages") var languages: [String]
    @Field(key: "formats") var formats: [String]
    /// `|genre:drama|language:hindi|format:imax|`: lets list filters use one portable `LIKE`.
    @Field(key: "tags") var tags: String
    /// Cinema-local calendar date, `YYYY-MM-DD` (sorts as text).
    @OptionalField(key: "release_date") var releaseDate: String?
    @OptionalField(key: "rating") var rating: Double?
    @OptionalField(key: "certificate") var certificate: String?
    @OptionalField(key: "poster_url") var posterURL: String?
    @OptionalField(key: "background_image_url") var backgroundImageURL: String?
    @Field(key: "cast") var cast: [Credit]
    @Field(key: "crew") var crew: [Credit]
    @Field(key: "is_active") var isActive: Bool
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?
    @Timestamp(key: "updated_at", on: .update) var updatedAt: Date?

    init() {}

    /// Keeps the derived search columns in step with the lists; call before every save.
    func refreshSearchColumns() {
        titleSearch = title.lowercased()
        tags = Movie.tags(genres: genres, languages: languages, formats: formats)
    }

    static func tags(genres: [String], languages: [String], formats: [String]) -> String {
        let all =
            genres.map { tag("genre", $0) } + languages.map { tag("language", $0) } + formats.map { tag("format", $0) }
        return all.isEmpty ? "|" : "|" + all.joined(separator: "|") + "|"
    }

    static func tag(_ kind: String, _ value: String) -> String {
        "\(kind):\(value.lowercased().trimmingCharacters(in: .whitespaces))"
    }
}
