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
        decoder.dateDecodingStrategy = .iso8601
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
