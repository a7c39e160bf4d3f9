import Vapor

extension Feature {
    static func movies(_ box: BoxOffice, _ context: RouteContext) -> Feature {
        Feature(name: "movies", routes: [MovieController(context: context, movies: box.movies)])
    }
}
