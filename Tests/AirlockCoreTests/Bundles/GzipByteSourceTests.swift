import XCTest
@testable import AirlockCore

final class GzipByteSourceTests: XCTestCase {
    /// Hands out its bytes in chunks of a fixed size, as an entry of an enclosing archive may.
    private final class ChunkedByteSource: ByteSource {
        private let bytes: [UInt8]
        private let size: Int
        private var offset = 0
        private var current: UnsafeMutableRawBufferPointer?

        init(_ bytes: [UInt8], chunkSize: Int) {
            self.bytes = bytes
            self.size = chunkSize
        }

        deinit { current?.deallocate() }

        override func next() -> UnsafeRawBufferPointer? {
            guard offset < bytes.count else { return nil }
            current?.deallocate()
            let chunk = bytes[offset..<min(offset + size, bytes.count)]
            offset += chunk.count
            delivered += Int64(chunk.count)
            let copy = UnsafeMutableRawBufferPointer.allocate(byteCount: chunk.count, alignment: 1)
            copy.copyBytes(from: chunk)
            current = copy
            return UnsafeRawBufferPointer(copy)
        }
    }

    private func drain(_ source: ByteSource) -> [UInt8] {
        var out: [UInt8] = []
        while let chunk = source.next() { out.append(contentsOf: chunk) }
        return out
    }

    private let entries: [TestEntry] = [.file("a.txt", String(repeating: "airlock ", count: 5_000))]
    private var tar: [UInt8] { TestArchiveWriter.tar(entries) }
    private var member: [UInt8] { TestArchiveWriter.tar(entries, compression: .gzip) }

    func testInflatesMembersSplitAtEveryByte() throws {
        let member = member
        let upstream = ChunkedByteSource(member + member, chunkSize: 1)
        let source = GzipByteSource(upstream: upstream, archive: "a.tgz")
        XCTAssertEqual(drain(source), tar + tar)
        XCTAssertNil(source.failure)
        XCTAssertTrue(source.isGzip)
        XCTAssertEqual(source.members, 2)
        XCTAssertEqual(source.consumedBytes, Int64(member.count * 2))
        XCTAssertEqual(source.delivered, Int64(tar.count * 2))
    }

    func testBytesAfterTheLastMemberAreLeftOutOfWhatWasConsumed() {
        let member = member
        let upstream = ChunkedByteSource(member + [0, 0, 0, 0], chunkSize: 4096)
        let source = GzipByteSource(upstream: upstream, archive: "a.tgz")
        XCTAssertEqual(drain(source), tar)
        XCTAssertNil(source.failure)
        XCTAssertEqual(source.consumedBytes, Int64(member.count))
        XCTAssertEqual(upstream.delivered, Int64(member.count + 4))
    }

    func testAnythingElsePassesThroughUnchanged() {
        for bytes in [tar, [0x1F], [], Array("x".utf8)] {
            let source = GzipByteSource(upstream: ChunkedByteSource(bytes, chunkSize: 1), archive: "a.tar")
            XCTAssertEqual(drain(source), bytes)
            XCTAssertFalse(source.isGzip)
            XCTAssertNil(source.failure)
        }
    }
}
