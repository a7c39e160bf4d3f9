import Foundation
import SQLKit
import Testing

@testable import BoxOffice

/// How a value read from one database becomes what the other's column takes.
@Suite("Backups: value conversion between SQLite and PostgreSQL")
struct ValueConversionTests {
    @Test func timesReadEveryOffsetAndRoundTripAtMicroseconds() throws {
        let utc = try #require(ValueConversion.parseISO8601("2026-11-18T10:00:00.123456+00:00"))
        #expect(abs(utc.timeIntervalSince1970 - 1_794_996_000.123456) < 1e-6)
        for same in [
            "2026-11-18T15:30:00.123456+05:30", "2026-11-18T15:30:00.123456+0530", "2026-11-18 10:00:00.123456Z",
        ] {
            #expect(ValueConversion.parseISO8601(same)?.timeIntervalSince1970 == utc.timeIntervalSince1970, "\(same)")
        }
        #expect(ValueConversion.parseISO8601("2026-11-18T05:00:00-05")?.timeIntervalSince1970 == 1_794_996_000)
        for bad in [
            "2026-11-18", "2026-11-18T10:00:00+5", "2026-11-18T10:00:00.", "2026-11-18T10:00:00+05:30x", "soon",
        ] {
            #expect(ValueConversion.parseISO8601(bad) == nil, "\(bad)")
        }
        // SQLite's REAL seconds to PostgreSQL's text and back.
        let seconds = 1_795_689_419.910_49
        let text = ValueConversion.iso8601(seconds)
        #expect(text == "2026-11-26T10:36:59.910490+00:00")
        #expect(abs((ValueConversion.parseISO8601(text)?.timeIntervalSince1970 ?? 0) - seconds) < 1e-6)
        #expect(ValueConversion.iso8601(1.9999999) == "1970-01-01T00:00:02.000000+00:00")
    }

    @Test func valuesBecomeWhatPostgreSQLColumnsRead() {
        #expect(ValueConversion.forPostgres(.int(1), type: "boolean") == .bool(true))
        #expect(ValueConversion.forPostgres(.int(0), type: "boolean") == .bool(false))
        #expect(
            ValueConversion.forPostgres(.double(0.5), type: "timestamp with time zone")
                == .string("1970-01-01T00:00:00.500000+00:00"))
        #expect(
            ValueConversion.forPostgres(.string(#"["a","b"]"#), type: "ARRAY") == .array([.string("a"), .string("b")]))
        #expect(ValueConversion.forPostgres(.string("not json"), type: "jsonb") == .string("not json"))
        #expect(ValueConversion.forPostgres(.double(3), type: "bigint") == .int(3))
        #expect(ValueConversion.forPostgres(.array([.int(1)]), type: "text") == .string("[1]"))
        #expect(ValueConversion.forPostgres(.string("B-12"), type: "text") == .string("B-12"))
    }

    @Test func valuesBecomeWhatSQLiteColumnsRead() throws {
        func bound(_ value: AuditJSON, _ type: String) -> String {
            let expression = ValueConversion.forSQLite(value, type: type)
            if expression is SQLLiteral { return "null" }
            return "\((expression as? SQLBind)?.encodable ?? "?")"
        }
        let uuid = UUID()
        #expect(bound(.string(uuid.uuidString.lowercased()), "UUID") == uuid.uuidString)
        #expect(bound(.string("2026-11-18T10:00:00.5+00:00"), "REAL") == "1794996000.5")
        #expect(bound(.bool(true), "INTEGER") == "1")
        #expect(bound(.string("false"), "INTEGER") == "0")
        #expect(bound(.double(4), "INTEGER") == "4")
        #expect(bound(.array([.string("x")]), "JSON") == #"["x"]"#)
        #expect(bound(.int(2), "DOUBLE") == "2.0")
        #expect(bound(.null, "TEXT") == "null")
    }
}
