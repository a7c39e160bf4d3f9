import NIOConcurrencyHelpers

/// Concurrent cache misses for the same key and version share one load, so an expiry or an invalidation under a
/// rush costs one rebuild, not one per waiting request. A request that saw a newer version never joins a load
/// started under an older one: the version is part of the key.
final class SingleFlight<Key: Hashable & Sendable, Value: Sendable>: Sendable {
    private struct Flight: Hashable {
        var key: Key
        var version: Int
    }

    private let flights = NIOLockedValueBox<[Flight: Task<Value, any Error>]>([:])

    func run(_ key: Key, version: Int, _ load: @escaping @Sendable () async throws -> Value) async throws -> Value {
        let flight = Flight(key: key, version: version)
        let (task, leads) = flights.withLockedValue { flights -> (Task<Value, any Error>, Bool) in
            if let running = flights[flight] { return (running, false) }
            let task = Task { try await load() }
            flights[flight] = task
            return (task, true)
        }
        guard leads else { return try await task.value }
        defer { _ = flights.withLockedValue { $0.removeValue(forKey: flight) } }
        return try await task.value
    }
}
