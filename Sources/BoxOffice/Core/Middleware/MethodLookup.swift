import Vapor

/// Which methods a path is registered under, to answer 405 (with `Allow`) instead of 404.
/// Only consulted on the error path, when the router found nothing for the request's method.
enum MethodLookup {
    static func allowedMethods(for path: String, in routes: [Route]) -> [HTTPMethod] {
        let parts = path.split(separator: "/").map(String.init)
        var methods: [HTTPMethod] = []
        for route in routes where matches(route.path, parts) && !methods.contains(route.method) {
            methods.append(route.method)
        }
        return methods
    }

    private static func matches(_ components: [PathComponent], _ parts: [String]) -> Bool {
        var index = 0
        for component in components {
            switch component {
            case .catchall: return index < parts.count
            case .constant(let value):
                guard index < parts.count, parts[index] == value else { return false }
            case .parameter, .anything:
                guard index < parts.count else { return false }
            }
            index += 1
        }
        return index == parts.count
    }
}
