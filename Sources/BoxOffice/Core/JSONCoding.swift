import Foundation
import Vapor

extension JSONEncoder {
    /// snake_case keys, ISO 8601 UTC timestamps: the API's JSON everywhere.
    static var api: JSONEncoder {
        let encoder = JSONEncoder()
        encoder.keyEncodingStrategy = .convertToSnakeCase
        encoder.dateEncodingStrategy = .iso8601
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return encoder
    }
}

extension JSONDecoder {
    static var api: JSONDecoder {
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        // Not `.iso8601`: its error has an empty coding path, so a bad date read as "the body is not valid JSON"
        // (a 400) instead of a 422 naming the field (the fuzzer's `on_sale_at: "0336-06-02T08:54:37.794+18:47"`).
        decoder.dateDecodingStrategy = .custom { decoder in
            let container = try decoder.singleValueContainer()
            let text = try container.decode(String.self)
            guard let date = try? Date.ISO8601FormatStyle().parse(text) else {
                throw DecodingError.dataCorruptedError(
                    in: container, debugDescription: "Expected an ISO 8601 date-time such as 2026-12-07T20:57:26Z.")
            }
            return date
        }
        return decoder
    }
}

extension ContentConfiguration {
    /// Vapor's coders, with the API's JSON; query strings read dates as ISO 8601 too (never seconds since 1970),
    /// and routes use `Request.queryDate`.
    static var api: ContentConfiguration {
        var content = ContentConfiguration.default()
        content.use(encoder: JSONEncoder.api, for: .json)
        content.use(decoder: JSONDecoder.api, for: .json)
        content.use(urlDecoder: URLEncodedFormDecoder(configuration: .init(dateDecodingStrategy: .iso8601)))
        return content
    }
}

extension String {
    /// `currentPassword` → `current_password`, matching what clients send.
    var snakeCased: String {
        var result = ""
        for character in self {
            if character.isUppercase {
                if !result.isEmpty { result.append("_") }
                result.append(contentsOf: character.lowercased())
            } else {
                result.append(character)
            }
        }
        return result
    }
}
