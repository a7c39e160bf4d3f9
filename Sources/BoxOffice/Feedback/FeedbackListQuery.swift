import Vapor

/// `GET /feedback`: rating, movie and show. They narrow what the caller may see (a customer's own, an admin's all).
struct FeedbackListQuery: ListQuery {
    var rating: Int?
    var movieID: UUID?
    var showID: UUID?

    init(from req: Request) throws {
        rating = try req.query.get(Int?.self, at: "rating")
        if let rating, !(1...5).contains(rating) {
            throw APIError.validation(field: "rating", CreateFeedbackRequest.ratingRule)
        }
        movieID = try req.query.get(UUID?.self, at: "movie_id")
        showID = try req.query.get(UUID?.self, at: "show_id")
    }

    static let parameters: [APIDoc.QueryParameter] = [
        .init(
            name: "rating",
            schema: .integer(required: false, maximum: (5, exclusive: false), minimum: (1, exclusive: false)),
            description: "Only this rating"),
        .uuid("movie_id", "Only this movie's"),
        .uuid("show_id", "Only this show's"),
    ]
}
