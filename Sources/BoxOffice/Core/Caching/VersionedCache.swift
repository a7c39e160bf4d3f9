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

/// Values kept per key under the version they were built under, each for at most `lifetime`; concurrent misses of
/// one key and version share one load; past `capacity` keys it starts over. Every cache of the app is one of these.
final class VersionedCache<Key: Hashable & Sendable, Value: Sendable>: Sendable {
    private struct Entry {
        var value: Value
        var version: Int
        var builtAt: ContinuousClock.Instant
    }

    private let lifetime: Duration
    private let capacity: Int
    private let entries = NIOLockedValueBox<[Key: Entry]>([:])
    private let loads = SingleFlight<Key, Value>()

    init(lifetime: Duration, capacity: Int) {
        self.lifetime = lifetime
        self.capacity = capacity
    }

    /// The kept value when it was built under `version`, within its lifetime, and `isCurrent` accepts it; else
    /// `load`'s, kept. A nil `version` means no cache may be trusted now: `load` runs and nothing is kept.
    func value(
        _ key: Key, version: Int?, isCurrent: (Value) -> Bool = { _ in true },
        load: @escaping @Sendable () async throws -> Value
    ) async throws -> Value {
        guard let version else { return try await load() }
        let now = ContinuousClock.now
        if let entry = entries.withLockedValue({ $0[key] }), entry.version == version, now - entry.builtAt < lifetime,
            isCurrent(entry.value)
        {
            return entry.value
        }
        return try await loads.run(key, version: version) { [entries, capacity] in
            let value = try await load()
            entries.withLockedValue { entries in
                if entries.count >= capacity { entries.removeAll(keepingCapacity: true) }
                entries[key] = Entry(value: value, version: version, builtAt: now)
            }
            return value
        }
    }

    func remove(_ key: Key) {
        _ = entries.withLockedValue { $0.removeValue(forKey: key) }
    }
}
