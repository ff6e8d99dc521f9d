@testable import AirlockReports
import Foundation
import XCTest

/// `JSONOutput` writes what Foundation's `JSONEncoder` (pretty-printed, sorted keys, slashes
/// unescaped) writes for the same values, so the reports kept their bytes when they stopped
/// using it.
final class JSONOutputTests: XCTestCase {
    private enum Level: String, Encodable { case low, high }

    private struct Leaf: Encodable {
        var name: String
        var count: Int
        var flag: Bool?
        var level: Level
    }

    private struct Tree: Encodable {
        var title: String
        var leaves: [Leaf]
        var empty: [Leaf] = []
        var tags: [String: String]
        var noTags: [String: Int] = [:]
        var nested: [[Int]]
        var optionalLeaf: Leaf?
        var big: Int64 = .min
        var unsigned: UInt64 = .max
        var explicitNull: String?

        enum CodingKeys: String, CodingKey {
            case title, leaves, empty, tags, noTags, nested, optionalLeaf, big, unsigned, explicitNull
            case schema = "$schema", upper = "Upper", underscore = "_under", list
        }

        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(title, forKey: .title)
            try container.encode(leaves, forKey: .leaves)
            try container.encode(empty, forKey: .empty)
            try container.encode(tags, forKey: .tags)
            try container.encode(noTags, forKey: .noTags)
            try container.encode(nested, forKey: .nested)
            try container.encodeIfPresent(optionalLeaf, forKey: .optionalLeaf)
            try container.encode(big, forKey: .big)
            try container.encode(unsigned, forKey: .unsigned)
            try container.encode(explicitNull, forKey: .explicitNull)
            try container.encode("s", forKey: .schema)
            try container.encode(1, forKey: .upper)
            try container.encode(true, forKey: .underscore)
            var list = container.nestedUnkeyedContainer(forKey: .list)
            try list.encode("in a nested container")
            var object = list.nestedContainer(keyedBy: CodingKeys.self)
            try object.encode(2, forKey: .upper)
        }
    }

    /// Every control character, quotes, backslashes, slashes and non-ASCII text.
    private static let awkward: String = {
        var text = (0..<0x20).map { String(UnicodeScalar(UInt8($0))) }.joined()
        text += "\"\\/ \u{7F} é ☃ 𝄞 \u{2028} https://example.com/a?b=c"
        return text
    }()

    func testWritesWhatFoundationWrites() throws {
        let leaves = [
            Leaf(name: Self.awkward, count: -3, flag: true, level: .high),
            Leaf(name: "", count: 0, flag: nil, level: .low),
        ]
        let tags = ["b": "1", "B": "2", "a10": "3", "a9": "4", "_x": "5", "Z": "6", "é": "7", "e": "8", "aB": "9", "ab": Self.awkward]
        let values: [Tree] = [
            Tree(title: "t", leaves: leaves, tags: tags, nested: [[], [1, 2], [3]], optionalLeaf: leaves[0]),
            Tree(title: Self.awkward, leaves: [], tags: [:], nested: [], optionalLeaf: nil),
        ]
        for value in values {
            try XCTAssertEqual(ours(value), foundation(value))
        }
        try XCTAssertEqual(ours(leaves), foundation(leaves))
        try XCTAssertEqual(ours(tags), foundation(tags))
        try XCTAssertEqual(ours([String]()), foundation([String]()))
        try XCTAssertEqual(ours(Level.low), foundation(Level.low))
    }

    func testFloatingPointIsRefusedNotMisformatted() {
        XCTAssertThrowsError(try ours([1.5]))
    }

    private func ours(_ value: some Encodable) throws -> String {
        var text = ""
        try JSONOutput.write(value, to: &text)
        return text
    }

    private func foundation(_ value: some Encodable) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(value), as: UTF8.self) + "\n"
    }
}
