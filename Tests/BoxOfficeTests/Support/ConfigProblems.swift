import Vapor

@testable import BoxOffice

/// What `AppConfig.load` refuses in this environment, as the start-up error lists it; empty when it starts.
func configProblems(_ env: [String: String], _ environment: Environment = .production) -> [String] {
    do {
        _ = try AppConfig.load(from: env, environment: environment)
        return []
    } catch let error as ConfigError {
        return error.problems
    } catch {
        return ["\(error)"]
    }
}
