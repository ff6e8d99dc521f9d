import XCTest
@testable import YAMLSource

final class TextInternerTests: XCTestCase {
    private func offset(_ text: String, _ interner: inout TextInterner, _ buffer: inout ArenaBuffer<UInt8>) -> UInt32 {
        var bytes = Array(text.utf8)
        return bytes.withUnsafeMutableBufferPointer { interner.offset(of: UnsafeBufferPointer($0), appendingTo: &buffer) }
    }

    func testRepeatedShortTextsAreStoredOnce() {
        var interner = TextInterner()
        var buffer = ArenaBuffer<UInt8>()
        let name = offset("name", &interner, &buffer)
        let metadata = offset("metadata", &interner, &buffer)
        XCTAssertEqual(offset("name", &interner, &buffer), name)
        XCTAssertEqual(offset("metadata", &interner, &buffer), metadata)
        XCTAssertEqual(String(decoding: buffer.bytes, as: UTF8.self), "namemetadata")
        // A prefix or an extension of a stored text is a text of its own.
        XCTAssertNotEqual(offset("nam", &interner, &buffer), name)
        XCTAssertNotEqual(offset("names", &interner, &buffer), name)
        XCTAssertEqual(String(decoding: buffer.bytes, as: UTF8.self), "namemetadatanamnames")
    }

    func testLongTextsAreAppendedEveryTime() {
        var interner = TextInterner()
        var buffer = ArenaBuffer<UInt8>()
        let long = String(repeating: "x", count: TextInterner.maxLength + 1)
        XCTAssertNotEqual(offset(long, &interner, &buffer), offset(long, &interner, &buffer))
        XCTAssertEqual(buffer.count, 2 * long.utf8.count)
        let longest = String(repeating: "y", count: TextInterner.maxLength)
        XCTAssertEqual(offset(longest, &interner, &buffer), offset(longest, &interner, &buffer))
    }

    /// A discarded document's texts leave the table with it, whether or not the table grew
    /// meanwhile: the texts kept are still found, and the discarded ones are stored anew.
    func testADiscardedDocumentsTextsLeaveTheTable() {
        for added in [3, 5_000] {
            var interner = TextInterner()
            var buffer = ArenaBuffer<UInt8>()
            interner.markDocumentStart()
            let kept = offset("kept", &interner, &buffer)
            interner.markDocumentStart()
            let keptCount = buffer.count
            for index in 0..<added { _ = offset("gone-\(index)", &interner, &buffer) }
            buffer.removeSuffix(from: keptCount)
            interner.discardDocument(keepingText: keptCount)
            XCTAssertEqual(interner.used, 1, "only the kept text's slot is left")
            XCTAssertEqual(offset("kept", &interner, &buffer), kept)
            XCTAssertEqual(offset("gone-0", &interner, &buffer), UInt32(keptCount), "appended again after the discard")
            XCTAssertEqual(offset("gone-0", &interner, &buffer), UInt32(keptCount))
        }
    }

    func testManyDistinctTextsSurviveTheTableGrowing() {
        var interner = TextInterner()
        var buffer = ArenaBuffer<UInt8>()
        let offsets = (0..<20_000).map { offset("key-\($0)", &interner, &buffer) }
        XCTAssertEqual((0..<20_000).map { offset("key-\($0)", &interner, &buffer) }, offsets)
        XCTAssertEqual(Set(offsets).count, 20_000)
    }

    /// Past the table's largest size texts are still stored, appended without interning.
    func testTextsBeyondTheTableAreAppended() {
        var interner = TextInterner()
        var buffer = ArenaBuffer<UInt8>()
        let offsets = (0..<200_000).map { offset("v\($0)", &interner, &buffer) }
        XCTAssertEqual(Set(offsets).count, 200_000)
        let late = offset("v199999", &interner, &buffer)
        XCTAssertEqual(String(decoding: buffer.bytes[Int(late)..<Int(late) + 7], as: UTF8.self), "v199999")
        XCTAssertEqual(offset("v5", &interner, &buffer), offsets[5])
    }

    /// A document taken out again truncates the buffer; a slot pointing into the removed part
    /// must not match other bytes written there afterwards.
    func testTextsRemovedFromTheBufferAreNotFoundAgain() {
        var interner = TextInterner()
        var buffer = ArenaBuffer<UInt8>()
        _ = offset("kept", &interner, &buffer)
        let discarded = offset("gone", &interner, &buffer)
        buffer.removeSuffix(from: Int(discarded))
        let other = offset("zzzz", &interner, &buffer)
        XCTAssertEqual(other, discarded)
        let again = offset("gone", &interner, &buffer)
        XCTAssertEqual(String(decoding: buffer.bytes[Int(again)..<Int(again) + 4], as: UTF8.self), "gone")
        XCTAssertEqual(String(decoding: buffer.bytes[Int(other)..<Int(other) + 4], as: UTF8.self), "zzzz")
    }

    func testDiscardedDocumentsKeepTheOtherDocumentsText() throws {
        // The second document (a duplicate key) is taken out after its texts were interned.
        let result = YAMLLoader().load(Array("a: shared\n---\nonly: here\nonly: here\n---\nb: only\nhere: shared\n".utf8), file: "in.yaml")
        XCTAssertEqual(result.errors.map(\.line), [4])
        guard result.documents.count == 2 else { return XCTFail("expected 2 documents, got \(result.documents.count)") }
        XCTAssertEqual(result.documents[0].root["a"]?.string, "shared")
        XCTAssertEqual(result.documents[1].root["b"]?.string, "only")
        XCTAssertEqual(result.documents[1].root["here"]?.string, "shared")
        XCTAssertEqual(result.documents[1].root.entries.map { $0.key.text }, ["b", "here"])
    }
}

extension ArenaBuffer<UInt8> {
    var bytes: [UInt8] { withUnsafeBufferPointer { Array($0) } }
}
