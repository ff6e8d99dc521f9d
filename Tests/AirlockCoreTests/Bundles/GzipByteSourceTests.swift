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

    /// Bytes after a member that start with gzip's magic are a member, and corrupt when they are
    /// not a sound one; only others are trailing bytes.
    func testAfterAMemberOnlyBytesWithoutTheMagicAreTrailing() {
        let member = member
        let emptyMember: [UInt8] = [0x1F, 0x8B, 8, 0, 0, 0, 0, 0, 0, 0xFF, 3, 0, 0, 0, 0, 0, 0, 0, 0, 0]
        var badCRC = emptyMember
        badCRC[12] = 1
        let cases: [(tail: [UInt8], trailing: Bool, error: String?)] = [
            (emptyMember, false, nil),
            (badCRC, false, "the CRC-32 in the trailer of gzip member 2 does not match its data: the file is corrupt"),
            ([0x1F, 0x8B, 7, 0, 0, 0, 0, 0, 0, 0xFF], false, "corrupt gzip member 2: unknown compression method"),
            ([0x1F, 0x8B], false, "the gzip stream ends inside member 2, before its trailer (the file is truncated)"),
            (Array("x".utf8), true, nil), ([0x1F, 0x00, 0x00], true, nil), ([UInt8](repeating: 0, count: 600), true, nil),
        ]
        for (tail, trailing, error) in cases {
            for chunkSize in [1, 4096] {
                let source = GzipByteSource(upstream: ChunkedByteSource(member + tail, chunkSize: chunkSize), archive: "a.tgz")
                let out = drain(source)
                XCTAssertEqual(source.trailingBytes, trailing, "\(tail.prefix(3)) in chunks of \(chunkSize)")
                guard let error else {
                    XCTAssertNil(source.failure)
                    XCTAssertEqual(out, tar)
                    continue
                }
                XCTAssertEqual(source.failure, .unreadable(archive: "a.tgz", message: error), "in chunks of \(chunkSize)")
            }
        }
    }

    func testAnythingElsePassesThroughUnchanged() {
        // A tar whose first name starts with gzip's two magic bytes is still a tar.
        var magicName = RawTarWriter.file("..zz", "x") + RawTarWriter.end
        magicName.replaceSubrange(0..<2, with: [0x1F, 0x8B])
        for bytes in [tar, magicName, [0x1F], [], Array("x".utf8)] {
            let source = GzipByteSource(upstream: ChunkedByteSource(bytes, chunkSize: 1), archive: "a.tar")
            XCTAssertEqual(drain(source), bytes)
            XCTAssertFalse(source.isGzip)
            XCTAssertNil(source.failure)
        }
    }
}
