import Vapor

/// The baseline of every benchmark: a plain Vapor app with one small JSON route and Vapor's default middleware,
/// measured in the same run as BoxOffice, so figures are ratios that hold across machines.
struct Greeting: Content {
    var message: String
    var items: [Int]
}

@main
enum Baseline {
    static func main() async throws {
        var environment = try Environment.detect()
        try LoggingSystem.bootstrap(from: &environment)
        let app = try await Application.make(environment)
        app.get("json") { _ in Greeting(message: "Hello, World!", items: [1, 2, 3]) }
        do {
            try await app.execute()
        } catch {
            try? await app.asyncShutdown()
            throw error
        }
        try await app.asyncShutdown()
    }
}
